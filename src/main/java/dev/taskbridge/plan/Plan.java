package dev.taskbridge.plan;

import java.util.List;

/** What one deployment event asks for: its trigger hash and the tasks to run (possibly none). */
public record Plan(DeploymentEvent event, String triggerHash, List<PlannedTask> tasks) {}
