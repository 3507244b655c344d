package dev.taskbridge.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What one client may trigger: namespaces ({@code *} = every namespace the bridge serves),
 * definitions and event sources (globs; empty = any). Pure.
 */
public record Scope(
    String client, List<String> namespaces, List<Glob> definitions, List<Glob> sources) {

  /** The scope of {@code bridge.auth.mode=none}: everything the bridge itself allows. */
  public static final Scope UNRESTRICTED =
      new Scope("anonymous", List.of("*"), List.of(), List.of());

  /** The part of the scope that refuses this event, or empty when it is covered. */
  public Optional<Refusal> refusal(
      String namespace, Collection<String> definitionNames, String source) {
    if (!namespaces.contains("*") && !namespaces.contains(namespace)) {
      return Optional.of(
          new Refusal("namespace", "the token may not trigger tasks in namespace " + namespace));
    }
    if (!sources.isEmpty() && !Glob.anyMatches(sources, source)) {
      return Optional.of(new Refusal("source", "the token may not send events of this source"));
    }
    if (!definitions.isEmpty()) {
      for (String d : definitionNames) {
        if (!Glob.anyMatches(definitions, d)) {
          return Optional.of(
              new Refusal("definition", "the token may not run KeptnTaskDefinition " + d));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a caller may see tasks of {@code namespace} (the verdict). */
  public boolean sees(String namespace) {
    return namespaces.contains("*") || namespaces.contains(namespace);
  }

  /** Which part of a scope refused an event, and why (safe to return to the caller). */
  public record Refusal(String part, String message) {}
}
