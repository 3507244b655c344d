package dev.taskbridge.contract;

/**
 * The machine-readable codes of rejected events: {@code errors[].code} of a rejection result, the
 * DLQ header, the HTTP answer, and the {@code reason} tag of {@code
 * taskbridge_events_rejected_total}. Closed: every code is here, so the metric starts each at zero
 * and the docs list them all.
 */
public enum RejectionCode {
  TOO_LARGE("TooLarge"),
  INVALID_ENCODING("InvalidEncoding"),
  NOT_JSON("NotJson"),
  NOT_CLOUD_EVENT("NotCloudEvent"),
  UNSUPPORTED_SPEC_VERSION("UnsupportedSpecVersion"),
  UNSUPPORTED_CONTENT_TYPE("UnsupportedContentType"),
  MISSING_ATTRIBUTE("MissingAttribute"),
  UNKNOWN_TYPE("UnknownType"),

  /** A CDEvents type of a version the bridge does not read (it does not guess). */
  UNSUPPORTED_VERSION("UnsupportedVersion"),

  MISSING_FIELD("MissingField"),
  EMPTY_FIELD("EmptyField"),
  WRONG_TYPE("WrongType"),
  TOO_LONG("TooLong"),
  INVALID_VALUE("InvalidValue"),
  INVALID_NAME("InvalidName"),
  NAMESPACE_NOT_ALLOWED("NamespaceNotAllowed"),
  INCOMPLETE_WORKLOAD("IncompleteWorkload"),
  EXPLICIT_TASKS_NOT_ALLOWED("ExplicitTasksNotAllowed"),
  TOO_MANY_TASKS("TooManyTasks"),
  TOO_MANY_PARAMETERS("TooManyParameters"),
  OUT_OF_RANGE("OutOfRange"),
  INVALID_DURATION("InvalidDuration"),

  /** {@code secureParameters} while {@code bridge.tasks.allow-secure-parameters=false}. */
  SECURE_PARAMETERS_NOT_ALLOWED("SecureParametersNotAllowed"),

  /**
   * The API server refused the KeptnTasks for a reason that retrying cannot fix (e.g. no
   * namespace).
   */
  REFUSED_BY_CLUSTER("RefusedByCluster"),

  /**
   * The {@code (source, id)} was first used by an event of another type or with another set of
   * tasks (HTTP 409); nothing of the first event changes.
   */
  ID_CONFLICT("IdConflict"),

  /**
   * The event could not be processed for a reason the bridge did not foresee (a bug, or data it
   * cannot handle); rejected so the consumer goes on, never retried in a loop.
   */
  UNPROCESSABLE("Unprocessable");

  private final String text;

  RejectionCode(String text) {
    this.text = text;
  }

  /** The code as the contract writes it, e.g. {@code TooLarge}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
