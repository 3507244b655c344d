package dev.taskbridge.keptn;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One run of a task definition ({@code lifecycle.keptn.sh/v1}, Keptn's storage version). */
@Group(KeptnTask.GROUP)
@Version("v1")
@Kind("KeptnTask")
@Plural("keptntasks")
@Singular("keptntask")
public class KeptnTask extends CustomResource<KeptnTaskSpec, KeptnTaskStatus>
    implements Namespaced {
  public static final String GROUP = "lifecycle.keptn.sh";
  public static final String API_VERSION = GROUP + "/v1";
}
