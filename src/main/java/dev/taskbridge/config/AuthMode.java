package dev.taskbridge.config;

/** How HTTP callers are authenticated. */
public enum AuthMode {
  /** Bearer tokens listed (as SHA-256) in the tokens file, each with a scope. */
  token,
  /** JWT bearer tokens verified by quarkus-oidc, claims mapped to a scope. */
  oidc,
  /** Nobody is asked: for closed networks only (logged as a warning at every start). */
  none
}
