package dev.taskbridge.ingest;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine-readable codes of rejected events (also the {@code reason} tag of the rejection
 * metric).
 */
public final class ErrorCode {
  public static final String TOO_LARGE = "TooLarge";
  public static final String INVALID_ENCODING = "InvalidEncoding";
  public static final String NOT_JSON = "NotJson";
  public static final String NOT_CLOUD_EVENT = "NotCloudEvent";
  public static final String UNSUPPORTED_SPEC_VERSION = "UnsupportedSpecVersion";
  public static final String UNSUPPORTED_CONTENT_TYPE = "UnsupportedContentType";
  public static final String MISSING_ATTRIBUTE = "MissingAttribute";
  public static final String UNKNOWN_TYPE = "UnknownType";

  /** A CDEvents type of a version the bridge does not read (it does not guess). */
  public static final String UNSUPPORTED_VERSION = "UnsupportedVersion";

  public static final String MISSING_FIELD = "MissingField";
  public static final String EMPTY_FIELD = "EmptyField";
  public static final String WRONG_TYPE = "WrongType";
  public static final String TOO_LONG = "TooLong";
  public static final String INVALID_VALUE = "InvalidValue";
  public static final String INVALID_NAME = "InvalidName";
  public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";
  public static final String INCOMPLETE_WORKLOAD = "IncompleteWorkload";
  public static final String EXPLICIT_TASKS_NOT_ALLOWED = "ExplicitTasksNotAllowed";
  public static final String TOO_MANY_TASKS = "TooManyTasks";
  public static final String TOO_MANY_PARAMETERS = "TooManyParameters";
  public static final String OUT_OF_RANGE = "OutOfRange";
  public static final String INVALID_DURATION = "InvalidDuration";

  /** {@code secureParameters} while {@code bridge.tasks.allow-secure-parameters=false}. */
  public static final String SECURE_PARAMETERS_NOT_ALLOWED = "SecureParametersNotAllowed";

  /**
   * The API server refused the KeptnTasks for a reason that retrying cannot fix (e.g. no
   * namespace).
   */
  public static final String REFUSED_BY_CLUSTER = "RefusedByCluster";

  /**
   * The {@code (source, id)} was first used by an event of another type or with another set of
   * tasks (HTTP 409); nothing of the first event changes.
   */
  public static final String ID_CONFLICT = "IdConflict";

  /**
   * The event could not be processed for a reason the bridge did not foresee (a bug, or data it
   * cannot handle); rejected so the consumer goes on, never retried in a loop.
   */
  public static final String UNPROCESSABLE = "Unprocessable";

  /** Every code, for metrics and docs. */
  public static List<String> all() {
    List<String> codes = new ArrayList<>();
    for (Field f : ErrorCode.class.getFields()) {
      if (f.getType() == String.class) {
        try {
          codes.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return codes;
  }

  private ErrorCode() {}
}
