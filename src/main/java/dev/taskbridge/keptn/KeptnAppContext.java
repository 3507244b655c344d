package dev.taskbridge.keptn;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Per-app task lists ({@code lifecycle.keptn.sh/v1}); the bridge only reads it. */
@Group(KeptnTask.GROUP)
@Version("v1")
@Kind("KeptnAppContext")
@Plural("keptnappcontexts")
@Singular("keptnappcontext")
public class KeptnAppContext extends CustomResource<KeptnAppContextSpec, KeptnAppContextStatus>
    implements Namespaced {}
