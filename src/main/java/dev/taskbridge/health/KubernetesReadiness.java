package dev.taskbridge.health;

import dev.taskbridge.kube.Leadership;
import dev.taskbridge.run.Watchers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the informers on KeptnTasks, Jobs and pods have synced and are watching. */
@Readiness
@ApplicationScoped
public class KubernetesReadiness implements HealthCheck {
  private final Watchers watchers;
  private final Leadership leadership;

  public KubernetesReadiness(Watchers watchers, Leadership leadership) {
    this.watchers = watchers;
    this.leadership = leadership;
  }

  @Override
  public HealthCheckResponse call() {
    boolean synced = watchers.synced();
    boolean watching = watchers.watching();
    boolean answering = leadership.apiAnswering();
    return HealthCheckResponse.named("kubernetes")
        .status(synced && watching && answering)
        .withData("apiAnswering", answering)
        .withData("synced", synced)
        .withData("watching", watching)
        .withData("leader", leadership.isLeader())
        .withData("elections", leadership.elections())
        .withData("pending", watchers.pending())
        .build();
  }
}
