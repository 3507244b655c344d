package dev.taskbridge.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The discovery documents a real API server serves ({@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>}, {@code /apis/<group>/<version>}), for the resources the bridge and its
 * users touch and for every installed CRD, so that {@code kubectl} finds {@code keptntasks}, {@code
 * jobs} and {@code pods}. Aggregated discovery is not served: kubectl asks for it first, gets a
 * plain document and falls back to these, as it does with older servers.
 */
final class Discovery {
  record Resource(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources) {}

  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final List<Resource> resources = new CopyOnWriteArrayList<>();
  private final String serverAddress;

  Discovery(String serverAddress) {
    this.serverAddress = serverAddress;
    core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of("status"));
    core("pods", "pod", "Pod", true, List.of("po"), List.of("status", "log"));
    core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of());
    core("secrets", "secret", "Secret", true, List.of(), List.of());
    core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), List.of());
    core("events", "event", "Event", true, List.of("ev"), List.of());
    add("batch", "v1", "jobs", "job", "Job", true, List.of(), List.of("status"));
    add("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), List.of());
    add("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"), List.of());
    add(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        "customresourcedefinition",
        "CustomResourceDefinition",
        false,
        List.of("crd", "crds"),
        List.of("status"));
  }

  private void core(
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources) {
    add("", "v1", plural, singular, kind, namespaced, shortNames, subresources);
  }

  private void add(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources) {
    resources.add(
        new Resource(group, version, plural, singular, kind, namespaced, shortNames, subresources));
  }

  /** Every served version of an installed CRD becomes discoverable. */
  void crd(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    for (CustomResourceDefinitionVersion v : spec.getVersions()) {
      if (Boolean.FALSE.equals(v.getServed())) {
        continue;
      }
      List<String> sub = new ArrayList<>();
      if (v.getSubresources() != null && v.getSubresources().getStatus() != null) {
        sub.add("status");
      }
      add(
          spec.getGroup(),
          v.getName(),
          spec.getNames().getPlural(),
          spec.getNames().getSingular(),
          spec.getNames().getKind(),
          "Namespaced".equals(spec.getScope()),
          spec.getNames().getShortNames() == null ? List.of() : spec.getNames().getShortNames(),
          sub);
    }
  }

  /** The document for a GET of {@code path} (no query), if it is a discovery path. */
  Optional<String> answer(String path) {
    String p =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/api")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("kind", "APIVersions");
      doc.put("apiVersion", "v1");
      doc.put("versions", List.of("v1"));
      doc.put(
          "serverAddressByClientCIDRs",
          List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", serverAddress)));
      return Optional.of(Serialization.asJson(doc));
    }
    if (p.equals("/api/v1")) {
      return Optional.of(resourceList("", "v1"));
    }
    if (p.equals("/apis")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("kind", "APIGroupList");
      doc.put("apiVersion", "v1");
      doc.put("groups", groups().stream().map(this::group).toList());
      return Optional.of(Serialization.asJson(doc));
    }
    String[] parts = p.split("/");
    // "", "apis", group[, version]
    if (parts.length == 3 && parts[1].equals("apis") && groups().contains(parts[2])) {
      Map<String, Object> doc = new LinkedHashMap<>(group(parts[2]));
      doc.put("kind", "APIGroup");
      doc.put("apiVersion", "v1");
      return Optional.of(Serialization.asJson(doc));
    }
    if (parts.length == 4
        && parts[1].equals("apis")
        && resources.stream()
            .anyMatch(r -> r.group().equals(parts[2]) && r.version().equals(parts[3]))) {
      return Optional.of(resourceList(parts[2], parts[3]));
    }
    return Optional.empty();
  }

  private List<String> groups() {
    return resources.stream().map(Resource::group).filter(g -> !g.isEmpty()).distinct().toList();
  }

  private List<String> versions(String group) {
    // newest first, as a server lists them: v1 before v1beta1 before v1alpha4 ...
    return resources.stream()
        .filter(r -> r.group().equals(group))
        .map(Resource::version)
        .distinct()
        .sorted(Discovery::byKubeVersion)
        .toList();
  }

  private Map<String, Object> group(String group) {
    List<Map<String, String>> versions =
        versions(group).stream()
            .map(v -> Map.of("groupVersion", group + "/" + v, "version", v))
            .toList();
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("name", group);
    g.put("versions", versions);
    g.put("preferredVersion", versions.get(0));
    return g;
  }

  private String resourceList(String group, String version) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Resource r : resources) {
      if (!r.group().equals(group) || !r.version().equals(version)) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.plural());
      m.put("singularName", r.singular());
      m.put("namespaced", r.namespaced());
      m.put("kind", r.kind());
      m.put("verbs", VERBS);
      if (!r.shortNames().isEmpty()) {
        m.put("shortNames", r.shortNames());
      }
      list.add(m);
      for (String sub : r.subresources()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", r.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("kind", sub.equals("log") ? "Pod" : r.kind());
        s.put("verbs", sub.equals("log") ? List.of("get") : List.of("get", "patch", "update"));
        list.add(s);
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    doc.put("resources", list);
    return Serialization.asJson(doc);
  }

  /** Kubernetes' version priority: GA over beta over alpha, then by number, descending. */
  static int byKubeVersion(String a, String b) {
    return Integer.compare(rank(b), rank(a));
  }

  private static int rank(String v) {
    var m = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?").matcher(v);
    if (!m.matches()) {
      return -1;
    }
    int major = Integer.parseInt(m.group(1));
    int stage = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
    int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return stage * 1_000_000 + major * 1000 + minor;
  }
}
