package dev.taskbridge.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus of hostile deployment events (structured mode, record value only): random
 * mutations of a valid event that are each guaranteed to be invalid, plus hand-written nasties.
 * Deterministic per seed.
 */
public final class Hostile {
  static final String[] NASTIES = {
    "",
    "null",
    "{}",
    "[]",
    "\"string\"",
    "0",
    "-1e999",
    "true",
    "{\"specversion\":null}",
    "{\"specversion\":\"1.0\"}",
    "\u0000\u0000\u0000",
    "\uFEFF{}",
    "{\"specversion\":\"1.0\",\"data\":{}}",
    "{\"specversion\":{\"$ne\":1},\"id\":\"x\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\"}",
    "{\"specversion\":\"1.0\",\"id\":\"' OR 1=1 --\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\","
        + "\"data\":{\"namespace\":\"../../etc\",\"appName\":\"a\",\"appVersion\":\"1\"}}",
    "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\","
        + "\"data\":{\"namespace\":\"team-a\",\"appName\":\"${jndi:ldap://x/a}\",\"appVersion\":\"1\\n\"}}",
  };

  private Hostile() {}

  static String valid(int i) {
    return "{\"specversion\":\"1.0\",\"id\":\"hostile-"
        + i
        + "-"
        + System.nanoTime()
        + "\","
        + "\"source\":\"fuzz\",\"type\":\"dev.taskbridge.deployment.pre\",\"data\":{\"namespace\":\"team-a\","
        + "\"appName\":\"shop\",\"appVersion\":\"1.0\",\"retries\":1,\"timeout\":\"1m\"}}";
  }

  public static List<byte[]> corpus(int size, long seed) {
    Random r = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (String n : NASTIES) {
      out.add(n.getBytes(StandardCharsets.UTF_8));
    }
    while (out.size() < size) {
      String v = valid(out.size());
      out.add(
          switch (r.nextInt(11)) {
            case 0 ->
                utf8(v.substring(0, 1 + r.nextInt(v.length() - 2))); // truncated: never valid JSON
            case 1 -> utf8(v.replace("\"appName\":\"shop\"", "\"appName\":" + wrongType(r)));
            case 2 -> utf8(v.replaceFirst("\"(id|source|type)\":\"[^\"]*\",", ""));
            case 3 -> invalidUtf8(v, r);
            case 4 ->
                utf8(
                    v.replace(
                        "dev.taskbridge.deployment.pre", "dev.taskbridge." + randomText(r, 12)));
            case 5 ->
                utf8(
                    v.replace(
                        "\"namespace\":\"team-a\"", "\"namespace\":\"X" + randomText(r, 8) + "\""));
            case 6 ->
                utf8(
                    v.replace(
                        "\"appName\":\"shop\"",
                        "\"appName\":\"sh\\u00" + (char) ('0' + r.nextInt(2)) + "0op\""));
            case 7 ->
                utf8(
                    v.replace("\"data\":", "\"data\":" + "[".repeat(40 + r.nextInt(200)))
                        + "]".repeat(300));
            case 8 -> utf8(v.replace("\"retries\":1", "\"retries\":-" + (1 + r.nextInt(1000))));
            case 9 ->
                utf8(
                    v.replace("\"timeout\":\"1m\"", "\"timeout\":\"" + (r.nextInt(9) + 1) + "y\""));
            default ->
                utf8(
                    v.replace(
                        "\"appVersion\":\"1.0\"", "\"appVersion\":\"" + "9".repeat(70_000) + "\""));
          });
    }
    return out;
  }

  static String wrongType(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> String.valueOf(r.nextInt());
      case 1 -> "[\"shop\"]";
      case 2 -> "{\"name\":\"shop\"}";
      case 3 -> "true";
      default -> "null";
    };
  }

  static String randomText(Random r, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('A' + r.nextInt(26)));
    }
    return b.toString();
  }

  static byte[] invalidUtf8(String v, Random r) {
    byte[] bytes = utf8(v);
    int at = 1 + r.nextInt(bytes.length - 2);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(bytes, 0, at);
    b.write(0xC3);
    b.write(0x28); // an invalid two-byte sequence
    b.write(bytes, at, bytes.length - at);
    return b.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
