package dev.taskbridge.plan;

import dev.taskbridge.keptn.KeptnTaskDefinition;

/** A KeptnTaskDefinition and the namespace it was found in. */
public record FoundDefinition(String namespace, KeptnTaskDefinition definition) {}
