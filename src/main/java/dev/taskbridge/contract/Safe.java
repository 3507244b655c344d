package dev.taskbridge.contract;

/** Makes untrusted text safe to put into logs and messages: bounded, control characters escaped. */
public final class Safe {
  private Safe() {}

  public static String excerpt(String s) {
    return s == null ? "null" : text(s, 64);
  }

  /**
   * {@code s} cut to {@code max} characters, with every control character (C0, DEL, C1) and the
   * Unicode line and paragraph separators written as a backslash, 'u' and four hex digits: no log
   * line can be forged. Text already escaped stays as it is (a backslash is not a control
   * character).
   */
  public static String text(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > max) {
      b.append("…(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }
}
