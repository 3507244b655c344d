package dev.taskbridge.testing;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.ContentMode;
import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.plan.CheckType;
import dev.taskbridge.plan.DeploymentEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plain-Java stand-ins for configuration and events, for unit tests of the pure code. */
public final class Samples {
  private Samples() {}

  public static DeploymentEvent appEvent(CheckType type, List<String> tasks) {
    return new DeploymentEvent(
        "ci/jenkins",
        "build-42",
        type,
        null,
        "team-a",
        "shop",
        "1.2.3",
        null,
        null,
        tasks,
        null,
        null,
        null,
        null,
        null);
  }

  public static DeploymentEvent workloadEvent(CheckType type, List<String> tasks) {
    return new DeploymentEvent(
        "ci/jenkins",
        "build-43",
        type,
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "team-a",
        "shop",
        "1.2.3",
        "cart",
        "0.9.1",
        tasks,
        Map.of("url", "http://cart<&>", "mode", "smoke"),
        "cart-secrets",
        3,
        Duration.ofSeconds(90),
        Map.of("commit", "abc123"));
  }

  /** A configuration with every default of CONTRACT.md, adjustable where tests need it. */
  public static Config config() {
    return new Config();
  }

  /** A hand-written {@link BridgeConfig} (the pure code takes the interface). */
  public static final class Config implements BridgeConfig {
    public List<String> namespaces = List.of("default", "team-a");
    public Optional<String> defaultNamespace = Optional.empty();
    public boolean allowExplicit = true;
    public int maxRetries = 20;
    public Duration maxTimeout = Duration.ofHours(1);
    public int maxTasks = 20;
    public int maxParameters = 64;
    public int maxEventBytes = 65536;
    public List<Rule> rules = List.of();
    public OnTaskFailure onTaskFailure = OnTaskFailure.fail;

    @Override
    public List<String> namespaces() {
      return namespaces;
    }

    @Override
    public Optional<String> defaultNamespace() {
      return defaultNamespace;
    }

    @Override
    public String keptnNamespace() {
      return "keptn-system";
    }

    @Override
    public String source() {
      return "keptn-task-bridge";
    }

    @Override
    public Runner runner() {
      return new Runner() {
        @Override
        public RunnerMode mode() {
          return RunnerMode.standalone;
        }

        @Override
        public RestartPolicy restartPolicy() {
          return RestartPolicy.Never;
        }

        @Override
        public String denoImage() {
          return "ghcr.io/keptn/deno-runtime:v3.0.1";
        }

        @Override
        public String pythonImage() {
          return "ghcr.io/keptn/python-runtime:v1.0.8";
        }
      };
    }

    @Override
    public Tasks tasks() {
      return new Tasks() {
        @Override
        public boolean allowExplicit() {
          return allowExplicit;
        }

        @Override
        public int maxRetries() {
          return maxRetries;
        }

        @Override
        public Duration maxTimeout() {
          return maxTimeout;
        }
      };
    }

    @Override
    public Results results() {
      return new Results() {
        @Override
        public int logTailLines() {
          return 20;
        }

        @Override
        public OnTaskFailure onTaskFailure() {
          return onTaskFailure;
        }

        @Override
        public ContentMode contentMode() {
          return ContentMode.binary;
        }
      };
    }

    @Override
    public Limits limits() {
      return new Limits() {
        @Override
        public int maxEventBytes() {
          return maxEventBytes;
        }

        @Override
        public int maxTasks() {
          return maxTasks;
        }

        @Override
        public int maxParameters() {
          return maxParameters;
        }
      };
    }

    @Override
    public Sweep sweep() {
      return () -> Duration.ofSeconds(30);
    }

    @Override
    public List<Rule> rules() {
      return rules;
    }

    @Override
    public LeaderElection leaderElection() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Sandbox sandbox() {
      throw new UnsupportedOperationException();
    }
  }

  /** A rule for {@code bridge.rules}. */
  public static BridgeConfig.Rule rule(
      String namespace, String app, String workload, String type, List<String> tasks) {
    return new BridgeConfig.Rule() {
      @Override
      public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
      }

      @Override
      public Optional<String> app() {
        return Optional.ofNullable(app);
      }

      @Override
      public Optional<String> workload() {
        return Optional.ofNullable(workload);
      }

      @Override
      public Optional<String> type() {
        return Optional.ofNullable(type);
      }

      @Override
      public List<String> tasks() {
        return tasks;
      }
    };
  }
}
