package dev.taskbridge.testing;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.TaskContext;
import dev.taskbridge.report.TaskFacts;
import java.util.Set;

/**
 * {@link TaskFacts} for unit tests, by name instead of by position: {@code
 * ATask.named("t1").state("Failed").reason("BackoffLimitExceeded").build()}. Starts as a pre task
 * of app {@code shop} 1.2.3 in {@code team-a}, of trigger {@code trig} with two tasks, started at
 * 10:00:00 and (once terminal) ended at 10:01:30.5 on 2026-11-24.
 */
public final class ATask {
  private final String name;
  private String definition;
  private String state = "Pending";
  private String jobName;
  private String reason;
  private int failedAttempts;
  private int retries;
  private int expectedTasks = 2;
  private Set<String> published = Set.of();
  private boolean phasePublished;
  private String output;

  private ATask(String name) {
    this.name = name;
    this.definition = "def-" + name;
  }

  public static ATask named(String name) {
    return new ATask(name);
  }

  public ATask definition(String definition) {
    this.definition = definition;
    return this;
  }

  public ATask state(String state) {
    this.state = state;
    return this;
  }

  public ATask job(String jobName) {
    this.jobName = jobName;
    return this;
  }

  public ATask reason(String reason) {
    this.reason = reason;
    return this;
  }

  public ATask failedAttempts(int failedAttempts) {
    this.failedAttempts = failedAttempts;
    return this;
  }

  public ATask retries(int retries) {
    this.retries = retries;
    return this;
  }

  public ATask expectedTasks(int expectedTasks) {
    this.expectedTasks = expectedTasks;
    return this;
  }

  /** The kinds of result already acknowledged ({@code started}, {@code retrying.1}...). */
  public ATask published(Set<String> published) {
    this.published = published;
    return this;
  }

  public ATask phasePublished(boolean phasePublished) {
    this.phasePublished = phasePublished;
    return this;
  }

  public ATask output(String output) {
    this.output = output;
    return this;
  }

  public TaskFacts build() {
    KeptnTaskStatus s = new KeptnTaskStatus();
    s.status = state;
    s.jobName = jobName;
    s.reason = reason;
    s.startTime = "2026-11-24T10:00:00Z";
    s.endTime = KeptnState.of(state).isTerminal() ? "2026-11-24T10:01:30.500Z" : null;
    TaskContext c = new TaskContext();
    c.appName = "shop";
    c.appVersion = "1.2.3";
    return new TaskFacts(
        name,
        "team-a",
        definition,
        "pre",
        c,
        "trig",
        "build-1",
        "ci/jenkins",
        expectedTasks,
        retries,
        KeptnState.of(state),
        s,
        failedAttempts,
        published,
        phasePublished,
        "2026-11-24T09:59:59Z",
        output);
  }
}
