package dev.taskbridge.keptn;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A task template ({@code lifecycle.keptn.sh/v1}); the bridge only reads it. */
@Group(KeptnTask.GROUP)
@Version("v1")
@Kind("KeptnTaskDefinition")
@Plural("keptntaskdefinitions")
@Singular("keptntaskdefinition")
public class KeptnTaskDefinition
    extends CustomResource<KeptnTaskDefinitionSpec, KeptnTaskDefinitionStatus>
    implements Namespaced {}
