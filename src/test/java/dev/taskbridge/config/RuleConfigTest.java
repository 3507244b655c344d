package dev.taskbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskbridge.contract.CheckType;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule in {@code bridge.rules} that could never match stops the start instead. */
class RuleConfigTest {

  static BridgeConfig load(Map<String, String> rule) {
    Map<String, String> props = new HashMap<>();
    props.put("bridge.namespaces", "team-a");
    props.put("bridge.results.topic", "task-results");
    props.putAll(rule);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(props, "test", 100))
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(BridgeConfig.class)
            .withValidateUnknown(false)
            .build();
    return config.getConfigMapping(BridgeConfig.class);
  }

  @Test
  void aRuleReadsItsCheckType() {
    BridgeConfig c =
        load(Map.of("bridge.rules[0].type", "post", "bridge.rules[0].tasks", "smoke,notify"));
    assertThat(c.rules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.type()).contains(CheckType.post);
              assertThat(r.tasks()).containsExactly("smoke", "notify");
            });
  }

  @Test
  void aTypoInARulesTypeStopsTheStart() {
    assertThatThrownBy(
            () -> load(Map.of("bridge.rules[0].type", "pots", "bridge.rules[0].tasks", "smoke")))
        .hasMessageContaining("bridge.rules[0].type")
        .hasMessageContaining("pots");
  }

  @Test
  void aRuleWithoutTasksStopsTheStart() {
    assertThatThrownBy(() -> load(Map.of("bridge.rules[0].type", "pre")))
        .hasMessageContaining("bridge.rules[0].tasks");
    assertThatThrownBy(
            () -> load(Map.of("bridge.rules[0].type", "pre", "bridge.rules[0].tasks", "")))
        .hasMessageContaining("bridge.rules[0].tasks");
  }
}
