package io.github.tingxin.cli;

/**
 * Makes text from files and model packages safe to print in a table, a CSV row or a one-line message: a
 * newline or other control character in a label, a file name or a message would otherwise start a fake row
 * or move the terminal's cursor. Stateless.
 */
final class Text {
  private Text() {}

  /**
   * {@code text} with every control character written as an escape: {@code \n}, {@code \r}, {@code \t}, or
   * {@code \}{@code uXXXX} for the other C0 and C1 controls, DEL, the Unicode line and paragraph separators
   * and the bidirectional overrides (which can make a row read backwards). Everything else, Chinese
   * included, is kept.
   */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && sb == null) {
        sb = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (sb != null) {
        if (escape != null) {
          sb.append(escape);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? text : sb.toString();
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    return control ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : null;
  }
}
