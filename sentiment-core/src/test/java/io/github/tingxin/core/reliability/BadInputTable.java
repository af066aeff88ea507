package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rows of {@code docs/bad-input.md}: each malformed input with the code and message excerpt it gets,
 * and the module whose test checks it. Shared with sentiment-onnx's tests through this module's test-jar.
 *
 * @param id the case name in the first column
 * @param code the {@code ErrorCode} name, or {@code none} for input that is read successfully
 * @param excerpt what the message contains (for {@code none}: a description, not checked)
 * @param module the module whose test runs the case
 */
public record BadInputTable(String id, String code, String excerpt, String module) {

  /** The file, found from the module folder that tests run in. */
  public static Path file() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path doc = p.resolve("docs/bad-input.md");
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new AssertionError("docs/bad-input.md not found above " + dir);
  }

  /** Every row of every table in the file. */
  public static List<BadInputTable> rows() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<BadInputTable> rows = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split(" \\| ");
      assertThat(cells).as("cells of %s", line).hasSize(5);
      rows.add(new BadInputTable(unquote(cells[0]), unquote(cells[2]), unquote(cells[3]), cells[4].trim()));
    }
    assertThat(rows).as("rows of docs/bad-input.md").hasSizeGreaterThan(20);
    assertThat(rows.stream().map(BadInputTable::id).distinct().count()).as("distinct case ids").isEqualTo(rows.size());
    return rows;
  }

  /** The rows whose test lives in {@code module} (e.g. {@code sentiment-core}). */
  public static Stream<BadInputTable> forModule(String module) {
    return rows().stream().filter(r -> r.module().equals(module));
  }

  /** One row's input, run. */
  @FunctionalInterface
  public interface Case {
    /** Reads or runs the malformed input. */
    void run() throws Exception;
  }

  /**
   * Runs {@code c} and asserts it gets this row's documented outcome: reads fine for code {@code none},
   * else a {@link TingxinException} with the row's code and a message containing its excerpt.
   */
  public void check(Case c) {
    assertThat(c).as("a test case for row %s", id).isNotNull();
    Throwable thrown = null;
    try {
      c.run();
    } catch (Throwable t) {
      thrown = t;
    }
    if (code.equals("none")) {
      if (thrown != null) {
        fail(id + " is documented to read fine but threw", thrown);
      }
      return;
    }
    assertThat(thrown).as(id).isInstanceOf(TingxinException.class);
    TingxinException e = (TingxinException) thrown;
    assertThat(e.code()).as("%s: %s", id, e.getMessage()).isEqualTo(ErrorCode.valueOf(code));
    assertThat(e.getMessage()).as(id).contains(excerpt);
  }

  /** The text inside the outer backticks of a cell, or the trimmed cell. */
  private static String unquote(String cell) {
    String c = cell.trim();
    return c.length() >= 2 && c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
  }
}
