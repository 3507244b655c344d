package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.sandbox.ApiServer;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Records every Kubernetes API call the packaged app makes through all its paths and checks each
 * one against the RBAC rules of the generated manifest (target/kubernetes/kubernetes.yml).
 */
class RbacIT {
  static final Pattern PATH =
      Pattern.compile(
          "/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([a-z]+)(?:/([^/?]+))?(?:/([a-z]+))?(\\?.*)?");

  /** verb, apiGroup, resource[/subresource] */
  record Call(String verb, String group, String resource) {}

  static Call call(ApiServer.Request r) {
    Matcher m = PATH.matcher(r.path());
    if (!m.matches()) {
      return null;
    }
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(2) + (m.group(4) != null ? "/" + m.group(4) : "");
    boolean named = m.group(3) != null;
    String query = m.group(5) == null ? "" : m.group(5);
    String verb =
        switch (r.method()) {
          case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> r.method();
        };
    return new Call(verb, group, resource);
  }

  static boolean allowed(Call c, List<JsonNode> rules) {
    for (JsonNode rule : rules) {
      if (has(rule.get("apiGroups"), c.group())
          && has(rule.get("resources"), c.resource())
          && has(rule.get("verbs"), c.verb())) {
        return true;
      }
    }
    return false;
  }

  static boolean has(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value) || v.asText().equals("*")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyApiCallOfAFullRunIsGrantedByTheGeneratedRbac() throws Exception {
    List<JsonNode> rules = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var parser =
        yaml.getFactory().createParser(new File("target/kubernetes/kubernetes.yml"))) {
      for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && Set.of("ClusterRole", "Role").contains(doc.path("kind").asText())) {
          doc.get("rules").forEach(rules::add);
        }
      }
    }
    assertThat(rules).isNotEmpty();

    Defs.apply(Defs.container("team-a", "rbac-ok"));
    Defs.apply(Defs.container("team-a", "rbac-flaky"));
    Defs.apply(Defs.deno("team-a", "rbac-inline", "console.log(1)"));
    Defs.apply(Defs.container("team-a", "rbac-hang"));
    TestInfra.simulator()
        .script("rbac-flaky", Script.failTimesThenSucceed(1))
        .script("rbac-hang", Script.hang());
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put(
        "quarkus.kubernetes-client.username", "keptn-task-bridge"); // marks the app's own requests
    props.put("quarkus.kubernetes-client.password", "rbac-test");
    TestInfra.api().record(true);
    try (PackagedApp app = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Events ok =
          Events.pre("team-a", "shop", "1")
              .tasks("rbac-ok", "rbac-flaky", "rbac-inline", "rbac-missing");
      Events ctx = Events.post("team-a", "no-context-app", "1");
      Events hang = Events.pre("team-a", "shop", "2").tasks("rbac-hang");
      Bus.send(ok.binary(Bus.EVENTS));
      Bus.send(ctx.binary(Bus.EVENTS));
      Bus.send(hang.binary(Bus.EVENTS));
      Bus.awaitPhase(ok.trigger(), Duration.ofSeconds(60));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !InCluster.jobsOf("team-a", hang.trigger()).isEmpty());
      KeptnTask hanging = InCluster.tasksOf("team-a", hang.trigger()).get(0);
      TestInfra.client().resource(hanging).delete();
      Bus.awaitPhase(hang.trigger(), Duration.ofSeconds(60));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  TestInfra.api().recorded().stream()
                      .anyMatch(r -> r.authorization() != null && r.method().equals("DELETE")));
    } finally {
      TestInfra.api().record(false);
    }
    Set<String> seen = new TreeSet<>();
    Set<String> denied = new TreeSet<>();
    for (ApiServer.Request r : TestInfra.api().recorded()) {
      if (r.authorization() == null) {
        continue; // the test's own clients
      }
      Call c = call(r);
      if (c == null) {
        continue; // discovery, version
      }
      seen.add(c.verb() + " " + c.group() + "/" + c.resource());
      if (!allowed(c, rules)) {
        denied.add(
            c.verb()
                + " "
                + c.group()
                + "/"
                + c.resource()
                + "  ("
                + r.method()
                + " "
                + r.path()
                + ")");
      }
    }
    assertThat(seen)
        .contains(
            "create lifecycle.keptn.sh/keptntasks",
            "patch lifecycle.keptn.sh/keptntasks/status",
            "create batch/jobs",
            "watch batch/jobs",
            "get /pods/log",
            "create /configmaps",
            "delete batch/jobs",
            "get lifecycle.keptn.sh/keptntaskdefinitions",
            "get lifecycle.keptn.sh/keptnappcontexts");
    assertThat(denied).as("calls the generated RBAC does not allow").isEmpty();

    // Namespace scope: with bridge.namespaces a list, every call names a namespace, and that
    // namespace is bound by the namespaced overlay (or is the Lease's): nothing needs cluster
    // scope.
    Set<String> bound = new TreeSet<>();
    try (var parser =
        yaml.getFactory()
            .createParser(new File("src/main/kubernetes/optional/namespaced-rbac.yml"))) {
      for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && doc.path("kind").asText().equals("RoleBinding")) {
          bound.add(doc.path("metadata").path("namespace").asText());
        }
      }
    }
    Set<String> served = new TreeSet<>(List.of(props.get("bridge.namespaces").split(",")));
    assertThat(bound)
        .as("the overlay's example binds default and keptn-system")
        .contains("default", "keptn-system");
    Set<String> outside = new TreeSet<>();
    Pattern ns = Pattern.compile("/namespaces/([^/?]+)/");
    for (ApiServer.Request r : TestInfra.api().recorded()) {
      if (r.authorization() == null || call(r) == null) {
        continue;
      }
      Matcher m = ns.matcher(r.path());
      if (!m.find()) {
        outside.add("cluster-wide: " + r.method() + " " + r.path());
      } else if (!served.contains(m.group(1)) && !m.group(1).equals("default")) {
        outside.add("namespace " + m.group(1) + ": " + r.method() + " " + r.path());
      }
    }
    assertThat(outside)
        .as("calls outside bridge.namespaces (%s) and the Lease's namespace", served)
        .isEmpty();
  }
}
