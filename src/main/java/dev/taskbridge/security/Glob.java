package dev.taskbridge.security;

import java.util.List;
import java.util.regex.Pattern;

/** Shell-style globs ({@code *} any run of characters, {@code ?} one), matched whole. Pure. */
public record Glob(String text, Pattern pattern) {

  public static Glob of(String text) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  public boolean matches(String s) {
    return s != null && pattern.matcher(s).matches();
  }

  public static boolean anyMatches(List<Glob> globs, String s) {
    return globs.stream().anyMatch(g -> g.matches(s));
  }
}
