package dev.taskbridge.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Fabric8's CRUD dispatcher with its store indexed by object name.
 *
 * <p>The stock dispatcher finds the object of every create, patch and replace by scanning all
 * stored objects, so each request costs O(objects) on the server's single event-loop thread; with
 * thousands of KeptnTasks and Jobs that scan, not the service under test, set every figure (and the
 * large {@code -Psoak} run did not finish). A real kube-apiserver looks objects up by key. This
 * keeps the stock dispatcher's behaviour (same matching, same responses, same watch events) and
 * only answers name lookups from an index kept in step with the store.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String NAME = "name";

  private final Map<String, Set<AttributeSet>> byName = new HashMap<>();

  IndexedCrudDispatcher() {
    try {
      Field store = CrudDispatcher.class.getDeclaredField("map");
      store.setAccessible(true);
      store.set(this, Collections.synchronizedMap(new IndexedStore()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Fabric8's mock server changed: cannot index its store", e);
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

  private static String nameOf(AttributeSet set) {
    Attribute a = set.getAttribute(NAME);
    return a == null || a.getValues().size() != 1 ? null : a.getValues().get(0).toString();
  }

  /** The store, keeping {@link #byName} in step (guarded by the synchronized wrapper's lock). */
  private final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    @Override
    public String put(AttributeSet key, String value) {
      String name = nameOf(key);
      if (name != null) {
        byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
      }
      return super.put(key, value);
    }

    @Override
    public String remove(Object key) {
      if (key instanceof AttributeSet set) {
        String name = nameOf(set);
        Set<AttributeSet> keys = name == null ? null : byName.get(name);
        if (keys != null && keys.remove(set) && keys.isEmpty()) {
          byName.remove(name);
        }
      }
      return super.remove(key);
    }

    @Override
    public void clear() {
      byName.clear();
      super.clear();
    }
  }
}
