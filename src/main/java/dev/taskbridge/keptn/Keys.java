package dev.taskbridge.keptn;

/** Every label and annotation key the bridge writes or reads. */
public final class Keys {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String PRODUCT = "keptn-task-bridge";

  private static final String P = "taskbridge.dev/";

  /** Label: 16 hex characters of sha256(source + "\n" + id) of the deployment event. */
  public static final String TRIGGER = P + "trigger";

  /** Label on Jobs and pods: the KeptnTask they run. */
  public static final String TASK = P + "task";

  public static final String TRIGGER_SOURCE = P + "trigger-source";
  public static final String TRIGGER_ID = P + "trigger-id";
  public static final String TRIGGER_TYPE = P + "trigger-type";

  /**
   * How many tasks the deployment event planned; the phase ends only when all of them exist and
   * ended.
   */
  public static final String TRIGGER_TASKS = P + "trigger-tasks";

  /** When the bridge received the event (RFC 3339), for the event-to-Job latency. */
  public static final String RECEIVED_AT = P + "received-at";

  /** Annotation on Jobs: the KeptnTaskDefinition they run. */
  public static final String TASK_DEFINITION = P + "task-definition";

  /** Namespace the KeptnTaskDefinition was found in. */
  public static final String DEFINITION_NAMESPACE = P + "definition-namespace";

  /**
   * Result ids already acknowledged by Kafka, comma-separated kinds (started,retrying.1,succeeded).
   */
  public static final String PUBLISHED = P + "published";

  /** Set on the tasks of a trigger once its phase.finished result was acknowledged. */
  public static final String PHASE_PUBLISHED = P + "phase-published";

  /**
   * Label set (to {@code "true"}) in the same write as {@link #PHASE_PUBLISHED}: nothing is owed
   * any more, so the sweep selects {@code !taskbridge.dev/done} and reads only unfinished work.
   */
  public static final String DONE = P + "done";

  /** Number of attempts that ended (failed or succeeded), as last seen on the Job. */
  public static final String ATTEMPTS = P + "attempts";

  /**
   * The task's output: the JSON object its last attempt wrote to its termination message, recorded
   * so that it survives restarts and TTL-deleted pods.
   */
  public static final String OUTPUT = P + "output";

  /**
   * The finalizer on the bridge's Jobs: a Job deleted (its TTL run out, a user, the KeptnTask's
   * garbage collection) stays readable, status and all, until the bridge has recorded its outcome
   * on the KeptnTask and lets it go.
   */
  public static final String JOB_FINALIZER = P + "outcome";

  /**
   * On the KeptnTasks of an event some of whose planned tasks the cluster refused for good (a
   * quota, an admission webhook): a JSON object of the refused task names and their definitions, so
   * the phase and the verdict count them as failed instead of waiting for them forever.
   */
  public static final String REFUSED_TASKS = P + "refused-tasks";

  public static final String KEPTN_APP = "keptn.sh/app";
  public static final String KEPTN_WORKLOAD = "keptn.sh/workload";
  public static final String KEPTN_VERSION = "keptn.sh/version";
  public static final String KEPTN_TASK_NAME = "keptn.sh/task-name";

  private Keys() {}
}
