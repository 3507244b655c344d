package dev.taskbridge.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.sandbox.ApiServer;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep reads the unfinished tasks a page at a time (10,000 tasks in flight were one 10 MB
 * answer, parsed beside the informer's copies: the bridge ran out of its 160 MB heap), and the test
 * API server pages lists as kube-apiserver does.
 */
class ListPagesTest {
  static final String NS = "pages";
  static ApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = ApiServer.start(0);
    client = api.client();
    for (int i = 0; i < 7; i++) {
      create("open-" + i, false);
    }
    create("done-0", true);
    create("done-1", true);
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  static void create(String name, boolean done) {
    KeptnTask t = new KeptnTask();
    var meta = new ObjectMetaBuilder().withName(name).withNamespace(NS);
    meta.addToLabels(Keys.MANAGED_BY, Keys.PRODUCT);
    if (done) {
      meta.addToLabels(Keys.DONE, "true");
    }
    t.setMetadata(meta.build());
    KeptnTaskSpec spec = new KeptnTaskSpec();
    spec.taskDefinition = "check";
    spec.checkType = "pre";
    t.setSpec(spec);
    client.resources(KeptnTask.class).inNamespace(NS).resource(t).create();
  }

  @Test
  void everyUnfinishedTaskIsSweptOnceInPagesOfTheConfiguredSize() {
    List<String> seen = new ArrayList<>();
    api.record(true);
    try {
      new Cluster(client, new DefinitionCache())
          .forEachUnfinishedTask(NS, 3, t -> seen.add(t.getMetadata().getName()));
    } finally {
      api.record(false);
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "open-0", "open-1", "open-2", "open-3", "open-4", "open-5", "open-6");
    var lists =
        api.recorded().stream()
            .filter(r -> r.method().equals("GET") && r.path().contains("/keptntasks?"))
            .toList();
    assertThat(lists).hasSize(3).allMatch(r -> r.path().contains("limit=3"));
    assertThat(lists.get(0).path()).doesNotContain("continue=");
    assertThat(lists.subList(1, 3)).allMatch(r -> r.path().contains("continue="));
  }

  @Test
  void aPageAsksForNoMoreThanItsLimitAndTellsHowManyRemain() {
    var page =
        client
            .resources(KeptnTask.class)
            .inNamespace(NS)
            .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
            .list(new ListOptionsBuilder().withLimit(4L).build());
    assertThat(page.getItems()).hasSize(4);
    assertThat(page.getMetadata().getContinue()).isNotEmpty();
    assertThat(page.getMetadata().getRemainingItemCount()).isEqualTo(5L);
  }

  @Test
  void anUnknownContinueTokenIsGoneAsOnARealServer() {
    assertThatThrownBy(
            () ->
                client
                    .resources(KeptnTask.class)
                    .inNamespace(NS)
                    .list(new ListOptionsBuilder().withLimit(3L).withContinue("stale").build()))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(410));
  }
}
