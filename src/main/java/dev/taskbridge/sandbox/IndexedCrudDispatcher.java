package dev.taskbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fabric8's CRUD dispatcher with its store indexed by object name and by resource.
 *
 * <p>The stock dispatcher finds the object of every create, patch and replace, and answers every
 * GET, by copying and matching all stored objects of every kind, so each request costs O(objects)
 * on the server's single event-loop thread; with thousands of KeptnTasks, Jobs, pods and Events
 * that scan, not the service under test, set every figure (the large {@code -Psoak} run did not
 * finish; P4 at 10,000 in flight queued for seconds behind it). A real kube-apiserver reads an
 * object by its key and lists from the objects of one resource. This keeps the stock dispatcher's
 * behaviour (same matching, same responses, same watch events) and only answers name lookups and
 * lists from indexes kept in step with the store.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String NAME = "name";
  private static final String PLURAL = "plural";

  private final Map<String, Set<AttributeSet>> byName = new HashMap<>();
  private final Map<String, Set<AttributeSet>> byResource = new HashMap<>();
  private final AtomicLong resourceVersion;
  private final ReadWriteLock lock; // the stock dispatcher's: a write's remove and put are one step

  /** Watch events that are lost (path, object name): none unless a test says so. */
  private volatile BiPredicate<String, String> lost = (p, n) -> false;

  /** Whether the event being processed on this thread goes to no watch. */
  private final ThreadLocal<Boolean> losing = ThreadLocal.withInitial(() -> false);

  IndexedCrudDispatcher() {
    try {
      Field store = CrudDispatcher.class.getDeclaredField("map");
      store.setAccessible(true);
      store.set(this, Collections.synchronizedMap(new IndexedStore()));
      Field watches = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
      watches.setAccessible(true);
      @SuppressWarnings("unchecked")
      Set<Object> listeners = (Set<Object>) watches.get(this);
      watches.set(this, new LossyListeners(listeners));
      Field version = KubernetesCrudDispatcher.class.getDeclaredField("resourceVersion");
      version.setAccessible(true);
      resourceVersion = (AtomicLong) version.get(this);
      Field rw = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      rw.setAccessible(true);
      lock = (ReadWriteLock) rw.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Fabric8's mock server changed: cannot index its store", e);
    }
  }

  /**
   * From now on, writes of objects matching {@code lost} (request path, object name) reach no
   * watch: the store changes and lists show it, but watchers miss the event, as after a watch that
   * dropped events without expiring. {@code (p, n) -> false} ends it.
   */
  void loseWatchEvents(BiPredicate<String, String> lost) {
    this.lost = lost;
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet oldAttributes,
      AttributeSet newAttributes,
      GenericKubernetesResource resource,
      String json) {
    String name =
        resource == null || resource.getMetadata() == null
            ? null
            : resource.getMetadata().getName();
    losing.set(name != null && lost.test(path, name));
    try {
      super.processEvent(path, oldAttributes, newAttributes, resource, json);
    } finally {
      losing.set(false);
    }
  }

  /** The dispatcher's watch listeners, skipped for an event that is lost. */
  private final class LossyListeners extends AbstractSet<Object> {
    private final Set<Object> all;

    LossyListeners(Set<Object> all) {
      this.all = all;
    }

    @Override
    public void forEach(Consumer<? super Object> action) {
      if (!losing.get()) {
        all.forEach(action);
      }
    }

    @Override
    public Iterator<Object> iterator() {
      return all.iterator();
    }

    @Override
    public int size() {
      return all.size();
    }

    @Override
    public boolean add(Object o) {
      return all.add(o);
    }

    @Override
    public boolean remove(Object o) {
      return all.remove(o);
    }
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    String name = nameOf(query);
    if (name == null) {
      return super.findResource(query);
    }
    synchronized (map) {
      for (AttributeSet key : byName.getOrDefault(name, Set.of())) {
        if (key.matches(query)) {
          return new AbstractMap.SimpleImmutableEntry<>(key, map.get(key));
        }
      }
    }
    return null;
  }

  /**
   * A GET as kube-apiserver serves it: an object by its key, a list from the stored objects of its
   * resource only (in their store order, as the stock dispatcher lists them). Watches, and paths
   * that name no resource (discovery), are the stock dispatcher's.
   */
  @Override
  public MockResponse handleGet(String path) {
    int q = path.indexOf('?');
    if (q >= 0 && path.substring(q).contains("watch=true")) {
      return super.handleGet(path);
    }
    AttributeSet query = getKey(path);
    String name = nameOf(query);
    String resource = valueOf(query, PLURAL);
    if (name == null && (query.containsKey(NAME) || resource == null)) {
      return super.handleGet(path);
    }
    lock.readLock().lock();
    try {
      if (name != null) {
        Map.Entry<AttributeSet, String> found = findResource(query);
        return found == null
            ? new MockResponse().setResponseCode(404)
            : new MockResponse().setResponseCode(200).setBody(found.getValue());
      }
      List<String> items = new ArrayList<>();
      synchronized (map) {
        for (AttributeSet key : byResource.getOrDefault(resource, Set.of())) {
          if (key.matches(query)) {
            items.add(map.get(key));
          }
        }
      }
      return new MockResponse()
          .setResponseCode(200)
          .setBody(
              ((KubernetesResponseComposer) responseComposer)
                  .compose(items, String.valueOf(resourceVersion.get())));
    } finally {
      lock.readLock().unlock();
    }
  }

  private static final Pattern EVENTS =
      Pattern.compile("/api/v1/(namespaces/[^/]+/)?events\\?(.*)");

  /**
   * Lists of core Events filtered by an {@code involvedObject.*} field selector, as a real server
   * does ({@code kubectl describe} asks for the Events of one object that way; the stock dispatcher
   * knows only {@code metadata.*} fields).
   */
  static boolean isEventSearch(String method, String path) {
    Matcher m = EVENTS.matcher(path);
    return "GET".equals(method) && m.matches() && m.group(2).contains("involvedObject");
  }

  /** Answers an {@link #isEventSearch} request. */
  MockResponse searchEvents(String path) {
    Matcher m = EVENTS.matcher(path);
    m.matches();
    Map<String, String> wanted = new HashMap<>();
    StringBuilder rest = new StringBuilder();
    for (String param : m.group(2).split("&")) {
      String decoded = URLDecoder.decode(param, StandardCharsets.UTF_8);
      if (decoded.startsWith("fieldSelector=")) {
        for (String term : decoded.substring("fieldSelector=".length()).split(",")) {
          String[] kv = term.split("==?", 2);
          if (kv.length == 2 && kv[0].startsWith("involvedObject.")) {
            wanted.put(kv[0].substring("involvedObject.".length()), kv[1]);
          }
        }
      } else if (!decoded.startsWith("limit=")) {
        rest.append(rest.isEmpty() ? "" : "&").append(param);
      }
    }
    String base = path.substring(0, path.indexOf('?')) + (rest.isEmpty() ? "" : "?" + rest);
    MockResponse all = handleGet(base);
    if (all.code() != 200) {
      return all;
    }
    try {
      var json = new ObjectMapper();
      var list = (ObjectNode) json.readTree(all.getBody().getBytes());
      var kept = json.createArrayNode();
      for (var item : list.path("items")) {
        var involved = item.path("involvedObject");
        if (wanted.entrySet().stream()
            .allMatch(w -> w.getValue().equals(involved.path(w.getKey()).asText()))) {
          kept.add(item);
        }
      }
      list.set("items", kept);
      // a typed client (kubectl describe) decodes an EventList, not the dispatcher's generic List
      list.put("kind", "EventList");
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(json.writeValueAsString(list));
    } catch (IOException e) {
      return all;
    }
  }

  /** Whether a GET asks for a page of a list ({@code limit} or {@code continue}), not a watch. */
  static boolean isPagedList(String method, String path) {
    int q = path.indexOf('?');
    if (!"GET".equals(method) || q < 0) {
      return false;
    }
    String query = path.substring(q + 1);
    return !query.contains("watch=true")
        && (query.matches("(.*&)?limit=\\d+(&.*)?") || query.matches("(.*&)?continue=.*"));
  }

  /** Lists that were answered in part: continue token, the items still to come, the list's rv. */
  private final Map<String, Snapshot> snapshots =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
              return size() > 64; // older tokens expire, as a compacted revision would
            }
          });

  private record Snapshot(List<JsonNode> rest, JsonNode listMeta) {}

  /**
   * Answers an {@link #isPagedList} request as kube-apiserver does: at most {@code limit} items,
   * and {@code metadata.continue} (with {@code remainingItemCount}) while more remain. The later
   * pages come from the list as it was at the first (a snapshot, like the server's read at one
   * resourceVersion); an unknown or expired token is {@code 410 Expired}.
   */
  MockResponse page(String path) {
    int q = path.indexOf('?');
    long limit = 0;
    String token = null;
    StringBuilder rest = new StringBuilder();
    for (String param : path.substring(q + 1).split("&")) {
      String decoded = URLDecoder.decode(param, StandardCharsets.UTF_8);
      if (decoded.startsWith("limit=")) {
        limit = Long.parseLong(decoded.substring("limit=".length()));
      } else if (decoded.startsWith("continue=")) {
        token = decoded.substring("continue=".length());
      } else {
        rest.append(rest.isEmpty() ? "" : "&").append(param);
      }
    }
    var json = new ObjectMapper();
    try {
      List<JsonNode> items;
      ObjectNode list;
      if (token != null && !token.isEmpty()) {
        Snapshot snap = snapshots.remove(token);
        if (snap == null) {
          return expired();
        }
        items = snap.rest();
        list = json.createObjectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.set("metadata", snap.listMeta().deepCopy());
      } else {
        MockResponse all = handleGet(path.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest));
        if (all.code() != 200) {
          return all;
        }
        JsonNode body = json.readTree(all.getBody().getBytes());
        if (!(body instanceof ObjectNode o) || !o.path("items").isArray()) {
          return all; // not a list (a GET by name)
        }
        list = o;
        items = new ArrayList<>();
        list.path("items").forEach(items::add);
        if (!list.path("metadata").isObject()) {
          list.putObject("metadata");
        }
      }
      int n = limit <= 0 ? items.size() : (int) Math.min(limit, items.size());
      var kept = json.createArrayNode();
      items.subList(0, n).forEach(kept::add);
      list.set("items", kept);
      ObjectNode meta = (ObjectNode) list.get("metadata");
      meta.remove("continue");
      meta.remove("remainingItemCount");
      if (n < items.size()) {
        String next = UUID.randomUUID().toString();
        snapshots.put(
            next, new Snapshot(new ArrayList<>(items.subList(n, items.size())), meta.deepCopy()));
        meta.put("continue", next);
        meta.put("remainingItemCount", items.size() - n);
      }
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(json.writeValueAsString(list));
    } catch (IOException | NumberFormatException e) {
      return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"code\":400}");
    }
  }

  private static MockResponse expired() {
    return new MockResponse()
        .setResponseCode(410)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
                + "\"message\":\"The provided continue parameter is too old to display a consistent list result.\"}");
  }

  private static String nameOf(AttributeSet set) {
    return valueOf(set, NAME);
  }

  private static String valueOf(AttributeSet set, String attribute) {
    Attribute a = set.getAttribute(attribute);
    return a == null || a.getValues().size() != 1 ? null : a.getValues().get(0).toString();
  }

  /**
   * The store, keeping {@link #byName} and {@link #byResource} in step (guarded by the synchronized
   * wrapper's lock), in the store's order.
   */
  private final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    @Override
    public String put(AttributeSet key, String value) {
      index(byName, nameOf(key), key);
      index(byResource, valueOf(key, PLURAL), key);
      return super.put(key, value);
    }

    @Override
    public String remove(Object key) {
      if (key instanceof AttributeSet set) {
        unindex(byName, nameOf(set), set);
        unindex(byResource, valueOf(set, PLURAL), set);
      }
      return super.remove(key);
    }

    @Override
    public void clear() {
      byName.clear();
      byResource.clear();
      super.clear();
    }
  }

  private static void index(Map<String, Set<AttributeSet>> index, String value, AttributeSet key) {
    if (value != null) {
      index.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(key);
    }
  }

  private static void unindex(
      Map<String, Set<AttributeSet>> index, String value, AttributeSet key) {
    Set<AttributeSet> keys = value == null ? null : index.get(value);
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      index.remove(value);
    }
  }
}
