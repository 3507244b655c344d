package dev.taskbridge.run;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The objects one task run needs: its Job and, for inline code, the ConfigMap that carries it. */
public record DesiredRun(Job job, ConfigMap codeConfigMap) {}
