package io.github.tingxin.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Rewrites the hints in library messages that name Java API settings ("raise maxAudioSeconds on the
 * builder") into what a command-line user can do ("raise --max-audio-seconds"). The library's messages
 * speak to programmers; the command line's to people at a shell. {@code CliMessagesTest} runs the failures
 * that carry such hints and checks that no Java name reaches the terminal. Stateless.
 */
final class CliHints {
  private record Rewrite(Pattern pattern, String replacement) {}

  private static final List<Rewrite> REWRITES = List.of(
      rewrite("raise maxAudioSeconds on the builder or feed the call through openStream\\(\\)",
          "raise --max-audio-seconds, or analyse the call with 'tingxin stream', which has no limit"),
      rewrite("Raise Options\\.maxSeconds / maxDataBytes, or read it in blocks with WavReader\\.open\\(\\.\\.\\.\\)",
          "Raise --max-audio-seconds, or analyse it with 'tingxin stream', which has no limit"),
      rewrite("Read it with Truncation\\.LENIENT to keep the (\\d+) complete frames present",
          "'tingxin stream < FILE' analyses the $1 complete frames present"),
      rewrite("Read it with Truncation\\.LENIENT to drop that frame", "'tingxin stream < FILE' drops that frame"),
      rewrite("Options\\.maxDataBytes \\((\\d+)\\)", "the limit of $1 bytes"),
      rewrite("segmentation\\.windowSeconds", "--window"),
      rewrite("segmentation\\.maxSeconds", "the longest segment"),
      rewrite("segmentation\\.minSeconds", "the shortest segment"));

  private CliHints() {}

  private static Rewrite rewrite(String regex, String replacement) {
    return new Rewrite(Pattern.compile(regex), replacement);
  }

  /** {@code message} with Java API hints replaced by command-line ones. */
  static String forCommandLine(String message) {
    if (message == null) {
      return null;
    }
    String m = message;
    for (Rewrite r : REWRITES) {
      m = r.pattern().matcher(m).replaceAll(r.replacement().replace("\\", "\\\\"));
    }
    return m;
  }
}
