package dev.taskbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.Safe;
import dev.taskbridge.keptn.GoDuration;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.plan.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a CloudEvent envelope against the contract and builds the {@link DeploymentEvent}. Pure.
 */
public final class EventValidator {
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  static final int MAX_ATTRIBUTE = 1024;
  static final int MAX_VALUE = 253;
  static final int MAX_MAP_VALUE = 8192;

  /** The check-type tag of events whose type is not a known one. */
  public static final String UNKNOWN = "unknown";

  private final BridgeConfig config;
  private final NamespacePolicy namespaces;

  public EventValidator(BridgeConfig config) {
    this.config = config;
    this.namespaces = new NamespacePolicy(config.namespaces());
  }

  public Intake validate(CloudEventReader.Result read, String fallbackSubject) {
    Map<String, String> a = read.attributes();
    String source = a.get("source");
    String id = a.get("id");
    boolean identified = source != null && !source.isEmpty() && id != null && !id.isEmpty();
    String subject = identified ? Names.triggerHash(source, id) : fallbackSubject;
    boolean cdEvent = CdEventsIn.accepted(a.get("type"));
    String checkTag =
        cdEvent
            ? CheckType.post.name()
            : CheckType.ofEventType(a.get("type")).map(Enum::name).orElse(UNKNOWN);
    if (!read.errors().isEmpty()) {
      return new Intake.Rejected(subject, source, id, checkTag, read.errors());
    }
    List<FieldError> errors = new ArrayList<>();
    CheckType checkType = attributes(a, errors);
    if (!cdEvent && CdEventsIn.isCdEvent(a.get("type"))) {
      // a CDEvent the bridge does not read: its data is not ours to check
      return new Intake.Rejected(subject, source, id, checkTag, List.copyOf(errors));
    }
    DeploymentEvent event =
        cdEvent
            ? cdEvent(read.envelope().data(), a, errors)
            : data(read.envelope().data(), a, checkType, errors);
    return errors.isEmpty()
        ? new Intake.Accepted(event)
        : new Intake.Rejected(subject, source, id, checkTag, List.copyOf(errors));
  }

  private CheckType attributes(Map<String, String> a, List<FieldError> errors) {
    String spec = a.get("specversion");
    if (spec == null || spec.isEmpty()) {
      errors.add(
          new FieldError(
              "specversion", RejectionCode.MISSING_ATTRIBUTE, "specversion is required"));
    } else if (!spec.equals("1.0")) {
      errors.add(
          new FieldError(
              "specversion",
              RejectionCode.UNSUPPORTED_SPEC_VERSION,
              "specversion must be 1.0, was " + Safe.excerpt(spec)));
    }
    for (String name : List.of("id", "source", "type")) {
      String v = a.get(name);
      if (v == null || v.isEmpty()) {
        errors.add(new FieldError(name, RejectionCode.MISSING_ATTRIBUTE, name + " is required"));
      } else if (v.length() > MAX_ATTRIBUTE) {
        errors.add(
            new FieldError(
                name, RejectionCode.TOO_LONG, name + " is longer than " + MAX_ATTRIBUTE));
      }
    }
    String type = a.get("type");
    if (type == null || type.isEmpty()) {
      return null;
    }
    if (CdEventsIn.accepted(type)) {
      return CheckType.post;
    }
    if (CdEventsIn.isCdEvent(type)) {
      errors.add(CdEventsIn.refusal(type));
      return null;
    }
    Optional<CheckType> checkType = CheckType.ofEventType(type);
    if (checkType.isEmpty()) {
      errors.add(
          new FieldError(
              "type",
              RejectionCode.UNKNOWN_TYPE,
              "type must be "
                  + CheckType.pre.eventType()
                  + " or "
                  + CheckType.post.eventType()
                  + " (or dev.cdevents.service.deployed/upgraded.<v>), was "
                  + Safe.excerpt(type)));
      return null;
    }
    return checkType.get();
  }

  private static boolean isObject(JsonNode data, List<FieldError> errors) {
    if (data == null || data.isNull()) {
      errors.add(new FieldError("data", RejectionCode.MISSING_FIELD, "data is required"));
      return false;
    }
    if (!data.isObject()) {
      errors.add(new FieldError("data", RejectionCode.WRONG_TYPE, "data must be a JSON object"));
      return false;
    }
    return true;
  }

  /** A CDEvents service.deployed / upgraded: the post-deployment phase of the mapped app. */
  private DeploymentEvent cdEvent(JsonNode data, Map<String, String> a, List<FieldError> errors) {
    if (!isObject(data, errors)) {
      return null;
    }
    CdEventsIn.Mapped m = CdEventsIn.map(data, config.cdevents().environments(), errors);
    if (m != null) {
      namespace(m.namespace(), "subject.content.environment.id", errors);
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new DeploymentEvent(
        a.get("source"),
        a.get("id"),
        CheckType.post,
        traceparent(a),
        m.namespace(),
        m.appName(),
        m.appVersion(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("cdeventsType", a.get("type"), "artifactId", m.artifactId()),
        a.get("type"));
  }

  private void namespace(String namespace, String field, List<FieldError> errors) {
    if (!DNS_LABEL.matcher(namespace).matches()) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.INVALID_NAME,
              "namespace must be a DNS-1123 label, was " + Safe.excerpt(namespace)));
    } else if (!namespaces.allows(namespace)) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.NAMESPACE_NOT_ALLOWED,
              "namespace " + namespace + " is not in bridge.namespaces"));
    }
  }

  private static String traceparent(Map<String, String> a) {
    String traceparent = a.get("traceparent");
    // tracing is best effort: a malformed traceparent is dropped, not fatal
    return traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
  }

  private DeploymentEvent data(
      JsonNode data, Map<String, String> a, CheckType checkType, List<FieldError> errors) {
    if (!isObject(data, errors)) {
      return null;
    }
    DataFields f = new DataFields(data, errors);
    String namespace = f.string("namespace", false, MAX_VALUE);
    if (namespace == null && !data.has("namespace")) {
      namespace = config.defaultNamespace().orElse(null);
      if (namespace == null) {
        errors.add(
            new FieldError(
                "data.namespace",
                RejectionCode.MISSING_FIELD,
                "namespace is required (no bridge.default-namespace is set)"));
      }
    }
    if (namespace != null) {
      namespace(namespace, "data.namespace", errors);
    }
    String appName = f.string("appName", true, MAX_VALUE);
    String appVersion = f.string("appVersion", true, MAX_VALUE);
    String workloadName = f.string("workloadName", false, MAX_VALUE);
    String workloadVersion = f.string("workloadVersion", false, MAX_VALUE);
    if (data.has("workloadName") != data.has("workloadVersion")) {
      String missing = data.has("workloadName") ? "workloadVersion" : "workloadName";
      errors.add(
          new FieldError(
              "data." + missing,
              RejectionCode.INCOMPLETE_WORKLOAD,
              "workloadName and workloadVersion come together or not at all"));
    }
    List<String> tasks = tasks(f, data, errors);
    Map<String, String> parameters = f.stringMap("parameters", config.limits().maxParameters());
    String secure = f.string("secureParameters", false, MAX_VALUE);
    if (secure != null && !config.tasks().allowSecureParameters()) {
      errors.add(
          new FieldError(
              "data.secureParameters",
              RejectionCode.SECURE_PARAMETERS_NOT_ALLOWED,
              "events may not name a Secret here (bridge.tasks.allow-secure-parameters=false)"));
    } else if (secure != null && !DNS_SUBDOMAIN.matcher(secure).matches()) {
      errors.add(
          new FieldError(
              "data.secureParameters",
              RejectionCode.INVALID_NAME,
              "secureParameters must name a Secret (DNS-1123 subdomain)"));
    }
    Integer retries = f.nonNegativeInt("retries");
    Duration timeout = timeout(f, errors);
    Map<String, String> metadata = f.stringMap("metadata", config.limits().maxParameters());
    String traceparent = traceparent(a);
    if (!errors.isEmpty()) {
      return null;
    }
    return new DeploymentEvent(
        a.get("source"),
        a.get("id"),
        checkType,
        traceparent,
        namespace,
        appName,
        appVersion,
        workloadName,
        workloadVersion,
        tasks,
        parameters,
        secure,
        retries,
        timeout,
        metadata);
  }

  private List<String> tasks(DataFields f, JsonNode data, List<FieldError> errors) {
    if (!data.has("tasks")) {
      return null;
    }
    if (!config.tasks().allowExplicit()) {
      errors.add(
          new FieldError(
              "data.tasks",
              RejectionCode.EXPLICIT_TASKS_NOT_ALLOWED,
              "events may not name their tasks here (bridge.tasks.allow-explicit=false)"));
      return null;
    }
    List<String> tasks = f.stringList("tasks", config.limits().maxTasks());
    if (tasks == null) {
      return null;
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (!DNS_SUBDOMAIN.matcher(tasks.get(i)).matches()) {
        errors.add(
            new FieldError(
                "data.tasks[" + i + "]",
                RejectionCode.INVALID_NAME,
                "task definition names are DNS-1123 subdomains, was "
                    + Safe.excerpt(tasks.get(i))));
      }
    }
    return tasks;
  }

  private Duration timeout(DataFields f, List<FieldError> errors) {
    String text = f.string("timeout", false, 64);
    if (text == null) {
      return null;
    }
    Optional<Duration> d = GoDuration.parse(text);
    if (d.isEmpty()) {
      errors.add(
          new FieldError(
              "data.timeout",
              RejectionCode.INVALID_DURATION,
              "timeout must be a duration such as 30s, 5m or 1h, was " + Safe.excerpt(text)));
      return null;
    }
    if (d.get().compareTo(Duration.ofSeconds(1)) < 0) {
      errors.add(
          new FieldError(
              "data.timeout", RejectionCode.OUT_OF_RANGE, "timeout must be at least 1s"));
      return null;
    }
    return d.get();
  }

  /**
   * Whether a name can be a Kubernetes object's name (DNS-1123 subdomain, ≤ 253 characters): only
   * such names are ever put into an API path.
   */
  public static boolean isObjectName(String s) {
    return s != null && s.length() <= MAX_VALUE && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /** {@code bridge.namespaces}, with {@code *} for all. */
  record NamespacePolicy(List<String> allowed) {
    boolean allows(String namespace) {
      return allowed.contains("*") || allowed.contains(namespace);
    }
  }
}
