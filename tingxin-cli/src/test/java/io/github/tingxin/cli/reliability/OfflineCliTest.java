package io.github.tingxin.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tingxin needs no network: {@code tingxin analyze} and {@code tingxin stream} work in a process without
 * any network ({@code unshare -n}: a fresh network namespace with not even loopback up), and, traced with
 * {@code strace}, the process never connects, binds or sends to any address but local (AF_UNIX) sockets,
 * which glibc uses for its name-service cache when Java looks up the user.
 *
 * <p>It does create (and at once close) three Internet sockets: the JDK's {@code libnet} probes IPv6 and
 * SO_REUSEPORT support when it loads, and it loads because picocli registers its built-in converters for
 * {@code InetAddress} and {@code NetworkInterface} (seen with {@code -verbose:class}). Those sockets are
 * never connected, bound or used.
 *
 * <p>Both need Linux and root (as CI and this machine run). Where {@code unshare} is unavailable, the first
 * test is skipped and says so; where {@code strace} is, the second.
 */
class OfflineCliTest {
  static final Path SAMPLE = Path.of("../examples/samples/sample-call.wav");
  static final Path MODEL = Path.of("../fixtures/models/fbank-cnn-tiny");

  @Test
  void analyseAndStreamWithoutAnyNetwork() throws Exception {
    assumeTrue(works("unshare", "-n", "true"), "SKIPPED: `unshare -n` is unavailable here (needs Linux and root), "
        + "so the no-network run cannot be made");
    Result analyze = run(List.of("unshare", "-n"), null, "analyze", "--model", MODEL.toString(), "--json", "-q",
        SAMPLE.toString());
    assertThat(analyze.exitCode).as("%s", analyze).isZero();
    JsonNode json = JsonMapper.builder().build().readTree(analyze.stdout);
    assertThat(json.toString()).contains("segments");
    assertThat(json.findValues("segments")).isNotEmpty();
    assertThat(json.findValues("segments").get(0).size()).isGreaterThan(0);

    Result stream = run(List.of("unshare", "-n"), SAMPLE, "stream", "--model", MODEL.toString(), "--json", "-q");
    assertThat(stream.exitCode).as("%s", stream).isZero();
    assertThat(stream.stdout.lines().count()).as("JSON lines of segments and the summary").isGreaterThan(2);
  }

  @Test
  void theProcessOpensNoNetworkSocket(@TempDir Path dir) throws Exception {
    assumeTrue(works("strace", "-f", "-qq", "-e", "trace=socket", "-o", "/dev/null", "true"),
        "SKIPPED: strace is unavailable here, so socket calls cannot be traced");
    Path trace = dir.resolve("trace.txt");
    Result r = run(List.of("strace", "-f", "-qq", "-e", "trace=socket,connect,bind,sendto,sendmsg", "-o",
        trace.toString()), null, "analyze", "--model", MODEL.toString(), "--json", "-q", SAMPLE.toString());
    assertThat(r.exitCode).as("%s", r).isZero();
    List<String> calls = Files.readAllLines(trace);
    assertThat(calls).as("strace saw the JVM's socket calls (libnet's probes)").isNotEmpty();
    // Any address the process connects, binds or sends to is a local (AF_UNIX) one.
    Pattern use = Pattern.compile("\\b(connect|bind|sendto|sendmsg)\\(");
    Pattern family = Pattern.compile("sa_family=(AF_[A-Z0-9]+)");
    for (String call : calls) {
      if (use.matcher(call).find()) {
        assertThat(call).as("a use of a socket").doesNotContain("AF_INET").doesNotContain("AF_NETLINK");
        Matcher m = family.matcher(call);
        while (m.find()) {
          assertThat(m.group(1)).as("address family in: %s", call).isEqualTo("AF_UNIX");
        }
      }
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** Runs the CLI in its own process behind {@code prefix}, with {@code stdin} (or nothing) as its input. */
  static Result run(List<String> prefix, Path stdin, String... args) throws Exception {
    assertThat(SAMPLE).as("the committed sample call").exists();
    assertThat(MODEL.resolve("model.onnx")).as("the fixture model").exists();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, "io.github.tingxin.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    if (stdin == null) {
      p.getOutputStream().close();
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tingxin did not finish in 300 s: " + cmd);
    }
    return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
  }

  static boolean works(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (in) {
        in.transferTo(buf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return buf.toString(StandardCharsets.UTF_8);
    });
  }
}
