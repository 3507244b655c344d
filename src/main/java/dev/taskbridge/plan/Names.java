package dev.taskbridge.plan;

import dev.taskbridge.contract.CheckType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic object names: the same event always yields the same names, so redelivery is
 * harmless.
 */
public final class Names {
  /**
   * Kubernetes label values and Job names (through the pod's job-name label) stop at 63 characters.
   */
  public static final int MAX_NAME = 63;

  private Names() {}

  /** {@code taskbridge.dev/trigger}: 16 hex characters of sha256(source + "\n" + id). */
  public static String triggerHash(String source, String id) {
    return sha256Hex(source + "\n" + id).substring(0, 16);
  }

  /**
   * {@code <checkType>-<definition>-<10 hex of sha256(source\nid\ndefinition)>}; the definition
   * part is cut so the name stays within 63 characters, dropping a trailing {@code -} (or {@code
   * .}) left by the cut.
   */
  public static String taskName(CheckType checkType, String definition, String source, String id) {
    String hash = sha256Hex(source + "\n" + id + "\n" + definition).substring(0, 10);
    int room = MAX_NAME - checkType.name().length() - hash.length() - 2;
    String part = definition.length() > room ? definition.substring(0, room) : definition;
    while (part.endsWith("-") || part.endsWith(".")) {
      part = part.substring(0, part.length() - 1);
    }
    return checkType.name() + "-" + part + "-" + hash;
  }

  public static String sha256Hex(String s) {
    return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
