package dev.taskbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupReportTest {
  @Test
  void aCdEventsEnvironmentMappedOutsideTheAllowedNamespacesStopsTheStart() {
    assertThat(
            StartupReport.unmappable(
                List.of("shop-prod"), Map.of("prod/eu-1", "shop-prod", "staging", "shop-stage")))
        .singleElement()
        .asString()
        .contains("bridge.cdevents.environments.\"staging\"=shop-stage")
        .contains("not in bridge.namespaces");
    assertThat(StartupReport.unmappable(List.of("*"), Map.of("staging", "shop-stage"))).isEmpty();
    assertThat(StartupReport.unmappable(List.of("default"), Map.of())).isEmpty();
  }
}
