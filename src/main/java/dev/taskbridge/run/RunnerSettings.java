package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.RestartPolicy;

/** What the Job builder needs from the configuration. */
public record RunnerSettings(RestartPolicy restartPolicy, String denoImage, String pythonImage) {
  public static RunnerSettings of(BridgeConfig.Runner runner) {
    return new RunnerSettings(runner.restartPolicy(), runner.denoImage(), runner.pythonImage());
  }
}
