package dev.taskbridge.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fabric8's Kubernetes API server in CRUD mode, with Keptn's CRDs installed (generated from our
 * model, {@link KeptnCrds}; so the status subresource behaves as on a real server), serving pod
 * logs that the Job simulator writes, recording every request, and able to answer chosen requests
 * with errors (fault injection for tests). Deleting a KeptnTask also deletes the ConfigMaps it
 * alone owned ({@link OwnerCollector}), as the garbage collector of a cluster does.
 */
public final class ApiServer implements AutoCloseable {
  private static final Pattern LOG_PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");

  /** An injected failure: requests for which {@code matches} holds (method, path). */
  public record Fault(
      BiPredicate<String, String> matches,
      int code,
      double probability,
      int[] remaining,
      boolean onlyAuthenticated,
      int retryAfterSeconds) {
    Fault(
        BiPredicate<String, String> matches,
        int code,
        double probability,
        int[] remaining,
        boolean onlyAuthenticated) {
      // a real API server's 429 (API Priority and Fairness) always says when to come back
      this(matches, code, probability, remaining, onlyAuthenticated, code == 429 ? 1 : 0);
    }
  }

  /** One request as the server saw it. */
  public record Request(
      String method, String path, String authorization, Instant at, int answered) {}

  private final KubernetesMockServer server;
  private final Map<String, String> logs = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Fault> losing = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Random random = new Random(42);
  private volatile boolean recording;
  private volatile Discovery discovery;
  private final IndexedCrudDispatcher store = new IndexedCrudDispatcher();
  private final OwnerCollector collector = new OwnerCollector(this::client);

  private ApiServer(int port) throws Exception {
    IndexedCrudDispatcher crud = store;
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return handle(crud, request);
          }
        };
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getByName("127.0.0.1"), port);
    discovery = new Discovery("127.0.0.1:" + server.getPort());
  }

  /** Starts the server ({@code port} 0 picks a free one) and installs Keptn's CRDs. */
  public static ApiServer start(int port) {
    try {
      ApiServer s = new ApiServer(port);
      try (KubernetesClient c = s.client()) {
        for (CustomResourceDefinition d : KeptnCrds.generate()) {
          c.apiextensions().v1().customResourceDefinitions().resource(d).create();
          s.discovery.crd(d);
        }
      }
      return s;
    } catch (Exception e) {
      throw new IllegalStateException("could not start the embedded Kubernetes API server", e);
    }
  }

  public String url() {
    return server.url("/");
  }

  public int port() {
    return server.getPort();
  }

  /** A new client of this server (the caller closes it). */
  public KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl(url())
                .withTrustCerts(true)
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  /** Sets what {@code GET .../pods/{pod}/log} answers. */
  public void podLog(String namespace, String pod, String log) {
    logs.put(namespace + "/" + pod, log);
  }

  /** Answers the next {@code times} matching requests with {@code code}. */
  public void failNext(String method, String pathPart, int code, int times) {
    failWhere((m, p) -> m.equals(method) && p.contains(pathPart), code, 1.0, times);
  }

  /** Answers requests matching {@code matches} (method, path) with {@code code}. */
  public void failWhere(
      BiPredicate<String, String> matches, int code, double probability, int times) {
    faults.add(new Fault(matches, code, probability, new int[] {times}, false));
  }

  /**
   * Answers a random share of the writes that carry credentials (the application's, when its client
   * is given a username; test clients send none) with {@code code}, until cleared.
   */
  public void failClientWrites(double probability, int code) {
    faults.add(
        new Fault(
            (m, p) -> !m.equals("GET"), code, probability, new int[] {Integer.MAX_VALUE}, true));
  }

  /**
   * Answers matching requests with {@code code} at random, with the given probability, until
   * cleared.
   */
  public void failRandomly(String method, String pathPart, int code, double probability) {
    failWhere(
        (m, p) -> m.equals(method) && p.contains(pathPart), code, probability, Integer.MAX_VALUE);
  }

  /**
   * The next {@code times} matching requests are carried out, but their answer is lost (a 504, as
   * from a proxy whose upstream timed out): the caller cannot know that its write happened.
   */
  public void loseAnswers(BiPredicate<String, String> matches, int times) {
    losing.add(new Fault(matches, 504, 1.0, new int[] {times}, false));
  }

  /**
   * Answers requests matching {@code matches} with a 429 that asks the client to come back in
   * {@code retryAfterSeconds} ({@code Retry-After} and {@code details.retryAfterSeconds}, as
   * kube-apiserver's Priority and Fairness does), from now until {@code until}.
   */
  public void throttleUntil(
      BiPredicate<String, String> matches, int retryAfterSeconds, Instant until) {
    faults.add(
        new Fault(
            (m, p) -> Instant.now().isBefore(until) && matches.test(m, p),
            429,
            1.0,
            new int[] {Integer.MAX_VALUE},
            false,
            retryAfterSeconds));
  }

  /** Answers requests matching {@code matches} with {@code code} from now until {@code until}. */
  public void failUntil(BiPredicate<String, String> matches, int code, Instant until) {
    failWhere(
        (m, p) -> Instant.now().isBefore(until) && matches.test(m, p),
        code,
        1.0,
        Integer.MAX_VALUE);
  }

  public void clearFaults() {
    losing.clear();
    faults.clear();
    loseWatchEvents((p, n) -> false);
  }

  /**
   * Writes of objects matching {@code lost} (request path, object name) reach no watch until
   * cleared: lists show them, watchers never hear of them (a watch that dropped events).
   */
  public void loseWatchEvents(BiPredicate<String, String> lost) {
    store.loseWatchEvents(lost);
  }

  public void record(boolean on) {
    recording = on;
  }

  public List<Request> recorded() {
    return new ArrayList<>(requests);
  }

  private MockResponse handle(KubernetesCrudDispatcher crud, RecordedRequest request) {
    String path = request.getPath();
    MockResponse answer = answer(crud, request);
    collector.answered(request.getMethod(), path, answer.code());
    if (recording) {
      requests.add(
          new Request(
              request.getMethod(),
              path,
              request.getHeader("Authorization"),
              Instant.now(),
              answer.code()));
    }
    return answer;
  }

  private MockResponse answer(KubernetesCrudDispatcher crud, RecordedRequest request) {
    String path = request.getPath();
    String authorization = request.getHeader("Authorization");
    if ("GET".equals(request.getMethod()) && discovery != null) {
      int q = path.indexOf('?');
      var doc = discovery.answer(q < 0 ? path : path.substring(0, q));
      if (doc.isPresent()) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(doc.get());
      }
    }
    for (Fault f : faults) {
      if (f.matches().test(request.getMethod(), path)
          && (f.onlyAuthenticated() == false || authorization != null)) {
        synchronized (f) {
          if (f.remaining()[0] > 0 && random.nextDouble() < f.probability()) {
            f.remaining()[0]--;
            MockResponse r =
                new MockResponse()
                    .setResponseCode(f.code())
                    .setBody(
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                            + f.code()
                            + (f.retryAfterSeconds() > 0
                                ? ",\"reason\":\"TooManyRequests\",\"details\":{\"retryAfterSeconds\":"
                                    + f.retryAfterSeconds()
                                    + "}"
                                : "")
                            + ",\"message\":\"injected fault\"}");
            if (f.retryAfterSeconds() > 0) {
              r.setHeader("Retry-After", Integer.toString(f.retryAfterSeconds()));
            }
            return r;
          }
        }
      }
    }
    Matcher m = LOG_PATH.matcher(path);
    if ("GET".equals(request.getMethod()) && m.matches()) {
      String log = logs.get(m.group(1) + "/" + m.group(2));
      if (log == null) {
        return new MockResponse()
            .setResponseCode(404)
            .setBody("{\"kind\":\"Status\",\"code\":404}");
      }
      return new MockResponse().setResponseCode(200).setBody(tail(log, m.group(3)));
    }
    MockResponse answer;
    try {
      if (IndexedCrudDispatcher.isEventSearch(request.getMethod(), path)) {
        answer = store.searchEvents(path);
      } else if (IndexedCrudDispatcher.isPagedList(request.getMethod(), path)) {
        answer = store.page(path);
      } else {
        answer = crud.dispatch(request);
      }
    } catch (RuntimeException e) {
      // Fabric8's dispatcher throws where kube-apiserver answers: a JSON patch that cannot be
      // applied (a failed "test", a missing path) is 422 Invalid, anything else a 500
      boolean patch = "PATCH".equals(request.getMethod());
      int code = patch ? 422 : 500;
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(
              Serialization.asJson(
                  Map.of(
                      "kind",
                      "Status",
                      "apiVersion",
                      "v1",
                      "status",
                      "Failure",
                      "reason",
                      patch ? "Invalid" : "InternalError",
                      "code",
                      code,
                      "message",
                      String.valueOf(e.getMessage()))));
    }
    for (Fault f : losing) {
      if (f.matches().test(request.getMethod(), path)) {
        synchronized (f) {
          if (f.remaining()[0] > 0) {
            f.remaining()[0]--;
            return new MockResponse()
                .setResponseCode(504)
                .setBody(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"code\":504,\"message\":\"the answer was lost\"}");
          }
        }
      }
    }
    return answer;
  }

  static String tail(String log, String query) {
    Matcher m = Pattern.compile("tailLines=(\\d+)").matcher(query == null ? "" : query);
    if (!m.find()) {
      return log;
    }
    String[] lines = log.split("\n", -1);
    int n = Integer.parseInt(m.group(1));
    int end = log.endsWith("\n") ? lines.length - 1 : lines.length;
    int from = Math.max(0, end - n);
    return String.join("\n", Arrays.copyOfRange(lines, from, end))
        + (log.endsWith("\n") ? "\n" : "");
  }

  @Override
  public void close() {
    collector.close();
    server.destroy();
  }
}
