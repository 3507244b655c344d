package dev.taskbridge.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the wire says, sorted into "wait" (the world) and "refuse" (the request). */
class ApiErrorsTest {

  @ParameterizedTest(name = "HTTP {0} is transient")
  @ValueSource(ints = {-1, 0, 408, 409, 429, 500, 502, 503, 504})
  void noAnswerServerErrorsAndThrottlingAreTransient(int code) {
    assertThat(ApiErrors.classify("x", new KubernetesClientException("m", code, null)))
        .isInstanceOf(ApiErrors.Transient.class);
  }

  @ParameterizedTest(name = "HTTP {0} is permanent")
  @ValueSource(ints = {400, 401, 403, 404, 405, 410, 413, 415, 422})
  void refusalsArePermanent(int code) {
    assertThat(ApiErrors.classify("x", new KubernetesClientException("m", code, null)))
        .isInstanceOf(ApiErrors.Permanent.class);
  }

  @Test
  void connectionRefusedResetAndTimeoutsAreTransientWhateverTheCode() {
    // Fabric8 reports I/O failures as code -1 (or 0) with the I/O exception as the cause
    for (Throwable cause :
        List.of(
            new ConnectException("Connection refused"),
            new IOException("Connection reset by peer"),
            new TimeoutException("timed out"))) {
      KubernetesClientException e = new KubernetesClientException("failed", cause);
      assertThat(ApiErrors.classify("x", e))
          .as(cause.toString())
          .isInstanceOf(ApiErrors.Transient.class);
    }
    assertThat(
            ApiErrors.classify(
                "x", new KubernetesClientTimeoutException("Job", "j", "ns", 20L, TimeUnit.SECONDS)))
        .isInstanceOf(ApiErrors.Transient.class);
  }

  @Test
  void retryAfterIsReadFromA429() {
    var status =
        new StatusBuilder()
            .withCode(429)
            .withNewDetails()
            .withRetryAfterSeconds(7)
            .endDetails()
            .build();
    RuntimeException t = ApiErrors.classify("x", new KubernetesClientException(status));
    assertThat(((ApiErrors.Transient) t).retryAfterSeconds()).isEqualTo(7);
  }
}
