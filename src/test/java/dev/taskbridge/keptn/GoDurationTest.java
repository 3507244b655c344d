package dev.taskbridge.keptn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "30s,PT30S",
    "5m,PT5M",
    "1h,PT1H",
    "1h30m,PT1H30M",
    "5m0s,PT5M",
    "1.5h,PT1H30M",
    "500ms,PT0.5S",
    "0,PT0S",
    "2h45m10s,PT2H45M10S",
    "90s,PT1M30S"
  })
  void parsesKubernetesDurations(String text, String iso) {
    assertThat(GoDuration.parse(text)).contains(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5", "5 m", "-5m", "1d", "m5", "5mm", "PT5M", "１m", "99999999999999999999h"})
  void rejectsWhatIsNotAGoDuration(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"PT30S,30s", "PT5M,5m", "PT1H,1h", "PT1H30M,1h30m", "PT1M30S,1m30s", "PT0.5S,500ms"})
  void writesCompactlyAndMatchesTheCrdPattern(String iso, String text) {
    assertThat(GoDuration.format(Duration.parse(iso)))
        .isEqualTo(text)
        .matches("^0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$");
  }
}
