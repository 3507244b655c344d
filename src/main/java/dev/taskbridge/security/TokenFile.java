package dev.taskbridge.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The clients of {@code token} mode, as read from the tokens file: a YAML list of {@code name},
 * {@code sha256} (of the bearer token; the token itself is never stored), {@code namespaces},
 * {@code definitions}, {@code sources}. Pure: parsing and look-up, no I/O.
 */
public final class TokenFile {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  /** One client: its scope and the SHA-256 of its token. */
  public record Client(Scope scope, byte[] sha256) {}

  private final List<Client> clients;
  private final List<String> problems;

  private TokenFile(List<Client> clients, List<String> problems) {
    this.clients = List.copyOf(clients);
    this.problems = List.copyOf(problems);
  }

  /** No file (or an unreadable one): nobody is let in. */
  public static TokenFile none(String why) {
    return new TokenFile(List.of(), List.of(why));
  }

  public static TokenFile parse(String yaml) {
    List<Client> clients = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (Exception e) {
      return none("the tokens file is not YAML: " + e.getClass().getSimpleName());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return none("the tokens file is empty");
    }
    if (!root.isArray()) {
      return none("the tokens file must be a YAML list of clients");
    }
    for (int i = 0; i < root.size(); i++) {
      JsonNode c = root.get(i);
      String where = "entry " + i;
      String name = text(c, "name");
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(where + ": name is required (letters, digits, '.', '_', '-')");
        continue;
      }
      where = "entry " + i + " (" + name + ")";
      String hash = text(c, "sha256");
      if (hash == null || !HEX64.matcher(hash).matches()) {
        problems.add(where + ": sha256 must be 64 hex characters");
        continue;
      }
      Optional<List<String>> namespaces = list(c, "namespaces");
      if (namespaces == null || namespaces.isEmpty() || namespaces.get().isEmpty()) {
        problems.add(where + ": namespaces is required (a list; [\"*\"] for every namespace)");
        continue;
      }
      Optional<List<String>> definitions = list(c, "definitions");
      Optional<List<String>> sources = list(c, "sources");
      if (definitions == null || sources == null) {
        problems.add(where + ": definitions and sources are lists of strings");
        continue;
      }
      clients.add(
          new Client(
              new Scope(
                  name,
                  namespaces.get(),
                  definitions.orElse(List.of()).stream().map(Glob::of).toList(),
                  sources.orElse(List.of()).stream().map(Glob::of).toList()),
              HexFormat.of().parseHex(hash.toLowerCase())));
    }
    return new TokenFile(clients, problems);
  }

  /**
   * The client whose token this is. Every entry is compared, in constant time, whatever matches
   * first: the time taken says nothing about which hash was close.
   */
  public Optional<Scope> find(String token) {
    byte[] presented = sha256(token);
    Scope found = null;
    for (Client c : clients) {
      if (MessageDigest.isEqual(c.sha256(), presented) && found == null) {
        found = c.scope();
      }
    }
    return Optional.ofNullable(found);
  }

  public int size() {
    return clients.size();
  }

  /** What was wrong with the file or its entries (never a hash or a token). */
  public List<String> problems() {
    return problems;
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode c, String field) {
    JsonNode n = c == null ? null : c.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** Empty when absent; {@code null} when present but not a list of strings. */
  private static Optional<List<String>> list(JsonNode c, String field) {
    JsonNode n = c == null ? null : c.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : n) {
      if (!item.isTextual() || item.asText().isEmpty()) {
        return null;
      }
      out.add(item.asText());
    }
    return Optional.of(out);
  }
}
