package dev.taskbridge.testing;

import dev.taskbridge.sandbox.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) as a separate process,
 * pointed at a broker and an API server it has never seen, and killable like a crashed pod.
 */
public final class PackagedApp implements AutoCloseable {
  public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private final Process process;
  private final Path log;
  private final int port;

  private PackagedApp(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The properties that point the app at the shared test broker and API server. */
  public static Map<String, String> against(String bootstrap, String apiServer) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kafka.bootstrap.servers", bootstrap);
    p.put("quarkus.kubernetes-client.api-server-url", apiServer);
    p.put("quarkus.kubernetes-client.trust-certs", "true");
    p.put("quarkus.kubernetes-client.namespace", "default");
    p.put("bridge.namespaces", "default,team-a,keptn-system");
    p.put("bridge.sweep.every", "2s");
    p.put("bridge.leader-election.lease-duration", "4s");
    p.put("bridge.leader-election.renew-deadline", "3s");
    p.put("bridge.leader-election.retry-period", "500ms");
    // HTTP authentication has its own tests (AuthIT, AuthTest); elsewhere nobody is asked
    p.put("bridge.auth.mode", "none");
    p.put("bridge.tasks.allow-secure-parameters", "true");
    return p;
  }

  public static PackagedApp start(Map<String, String> properties) {
    return start(properties, Path.of(System.getProperty("java.home")), List.of());
  }

  /**
   * The jar on the JDK at {@code javaHome} (the benchmark compares runtimes), with {@code extra}
   * JVM options after the configured ones.
   */
  public static PackagedApp start(
      Map<String, String> properties, Path javaHome, List<String> extra) {
    int port = EmbeddedKafka.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin").resolve("java").toString());
    for (String arg : System.getProperty("packaged.jvm.args", "-Xmx256m").trim().split("\\s+")) {
      cmd.add(arg);
    }
    cmd.addAll(extra);
    cmd.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(JAR.toAbsolutePath().toString());
    try {
      Path log = Files.createTempFile("packaged-app-", ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new PackagedApp(p, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** GET a path of the app; -1 when it does not answer. */
  public int get(String path) {
    HttpResponse<String> r = request(path);
    return r == null ? -1 : r.statusCode();
  }

  /** The body of a GET, empty when the app does not answer. */
  public String body(String path) {
    HttpResponse<String> r = request(path);
    return r == null ? "" : r.body();
  }

  private HttpResponse<String> request(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** POSTs an event (structured mode) to {@code path}; null when the app does not answer. */
  public HttpResponse<String> post(String path, Events e, Duration timeout) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(timeout)
                  .header("Content-Type", "application/cloudevents+json")
                  .POST(HttpRequest.BodyPublishers.ofString(e.structuredJson()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException ex) {
      return null;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The value of a gauge or the sum of a counter on {@code /q/metrics}. */
  public double metric(String name) {
    return new Scrape(body("/q/metrics")).sum(name);
  }

  public boolean ready() {
    return get("/q/health/ready") == 200;
  }

  /** Waits for the process to end by itself; its exit code. */
  public int awaitExit(Duration max) {
    try {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("still running after " + max);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: no shutdown hooks, no polite goodbye (a crashed or OOM-killed pod). */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
