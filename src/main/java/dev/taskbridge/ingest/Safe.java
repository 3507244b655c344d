package dev.taskbridge.ingest;

/** Makes untrusted text safe to put into logs and messages: bounded, control characters escaped. */
public final class Safe {
  private Safe() {}

  public static String excerpt(String s) {
    if (s == null) {
      return "null";
    }
    int max = 64;
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
