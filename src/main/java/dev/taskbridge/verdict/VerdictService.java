package dev.taskbridge.verdict;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.run.Watchers;
import dev.taskbridge.security.Scope;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads the verdict of a trigger from the cluster's KeptnTasks (any replica: every replica
 * watches), and holds {@code ?wait=} requests without a thread each: a waiting request is a future,
 * completed when the informer sees any change of one of the trigger's tasks, and only then read
 * again.
 */
@ApplicationScoped
public class VerdictService {
  static final Pattern TRIGGER = Pattern.compile("[0-9a-f]{16}");

  private final KubernetesClient client;
  private final BridgeConfig config;
  private final Watchers watchers;
  private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

  public VerdictService(
      KubernetesClient client, BridgeConfig config, Watchers watchers, MeterRegistry registry) {
    this.client = client;
    this.config = config;
    this.watchers = watchers;
    Gauge.builder("taskbridge.http.waiting", this, v -> v.waiting())
        .description("HTTP requests held on ?wait= for a verdict")
        .strongReference(true)
        .register(registry);
  }

  void onStart(@Observes StartupEvent ev) {
    watchers.onTaskChange(this::changed);
  }

  /** Requests waiting now ({@code taskbridge_http_waiting}). */
  public int waiting() {
    return waiting.values().stream().mapToInt(Set::size).sum();
  }

  /** The verdict now; blocking (a few LIST calls). */
  public Optional<Verdict> read(String trigger, Scope scope) {
    if (!TRIGGER.matcher(trigger).matches()) {
      return Optional.empty();
    }
    for (String ns : config.namespaces()) {
      var op = client.resources(KeptnTask.class);
      var scoped = ns.equals("*") ? op.inAnyNamespace() : op.inNamespace(ns);
      List<KeptnTask> found;
      try {
        found =
            scoped
                .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
                .withLabel(Keys.TRIGGER, trigger)
                .list()
                .getItems();
      } catch (KubernetesClientException e) {
        if (ApiErrors.isNotFound(e)) {
          continue;
        }
        throw ApiErrors.classify("list KeptnTasks of trigger " + trigger, e);
      }
      String first =
          found.stream()
              .map(t -> t.getMetadata().getNamespace())
              .filter(scope::sees)
              .findFirst()
              .orElse(null);
      if (first != null) {
        return Verdict.of(
            found.stream().filter(t -> first.equals(t.getMetadata().getNamespace())).toList(),
            config.results().onTaskFailure());
      }
    }
    return Optional.empty();
  }

  /**
   * The verdict once it is no longer pending, or as it is when {@code wait} ran out. The reads run
   * on the worker pool; between them nothing but a future is held.
   */
  public Uni<Optional<Verdict>> await(String trigger, Scope scope, Duration wait) {
    return loop(trigger, scope, Instant.now().plus(wait));
  }

  private Uni<Optional<Verdict>> loop(String trigger, Scope scope, Instant deadline) {
    CompletableFuture<Void> change = subscribe(trigger); // before reading: no change is missed
    return Uni.createFrom()
        .item(() -> read(trigger, scope))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onTermination()
        .invoke(
            (v, failure, cancelled) -> {
              if (failure != null || cancelled) {
                unsubscribe(trigger, change);
              }
            })
        .chain(
            v -> {
              Duration left = Duration.between(Instant.now(), deadline);
              if (v.isEmpty() || !v.get().pending() || left.isNegative() || left.isZero()) {
                unsubscribe(trigger, change);
                return Uni.createFrom().item(v);
              }
              return Uni.createFrom()
                  .completionStage(change)
                  .map(x -> true)
                  .ifNoItem()
                  .after(left)
                  .recoverWithItem(false)
                  .eventually(() -> unsubscribe(trigger, change))
                  .chain(
                      woken -> woken ? loop(trigger, scope, deadline) : Uni.createFrom().item(v));
            });
  }

  private CompletableFuture<Void> subscribe(String trigger) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiting.computeIfAbsent(trigger, k -> ConcurrentHashMap.newKeySet()).add(f);
    return f;
  }

  private void unsubscribe(String trigger, CompletableFuture<Void> f) {
    waiting.computeIfPresent(
        trigger,
        (k, set) -> {
          set.remove(f);
          return set.isEmpty() ? null : set;
        });
  }

  /** A task of {@code trigger} changed (added, updated, finished, left the cache). */
  void changed(String trigger) {
    Set<CompletableFuture<Void>> set = waiting.get(trigger);
    if (set != null) {
      set.forEach(f -> f.complete(null));
    }
  }
}
