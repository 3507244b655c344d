package dev.taskbridge.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition, for asserting on metric values. */
public final class Scrape {
  private static final Pattern LINE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One series. */
  public record Series(String name, Map<String, String> labels, double value) {}

  private final List<Series> series = new ArrayList<>();

  public Scrape(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (m.matches()) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
      }
    }
  }

  /**
   * The sum of every series of {@code name} whose labels include {@code labels} (k1, v1, k2,
   * v2...).
   */
  public double sum(String name, String... labels) {
    double total = 0;
    for (Series s : series) {
      if (s.name().equals(name) && has(s.labels(), labels)) {
        total += s.value();
      }
    }
    return total;
  }

  public boolean has(String name) {
    return series.stream().anyMatch(s -> s.name().equals(name));
  }

  public List<Series> all(String name) {
    return series.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static boolean has(Map<String, String> labels, String... kv) {
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (!kv[i + 1].equals(labels.get(kv[i]))) {
        return false;
      }
    }
    return true;
  }
}
