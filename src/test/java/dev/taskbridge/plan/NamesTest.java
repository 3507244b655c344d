package dev.taskbridge.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.contract.CheckType;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void triggerHashIsSixteenHexCharactersOfSourceNewlineId() {
    // sha256("ci/jenkins\nbuild-42")
    assertThat(Names.triggerHash("ci/jenkins", "build-42"))
        .isEqualTo(Names.sha256Hex("ci/jenkins\nbuild-42").substring(0, 16))
        .hasSize(16)
        .matches("[0-9a-f]+");
  }

  @Test
  void taskNameIsCheckTypeDefinitionAndTenHexOfSourceIdDefinition() {
    String hash = Names.sha256Hex("ci/jenkins\nbuild-42\nsmoke-test").substring(0, 10);
    assertThat(Names.taskName(CheckType.pre, "smoke-test", "ci/jenkins", "build-42"))
        .isEqualTo("pre-smoke-test-" + hash);
  }

  @Test
  void longDefinitionIsCutSoTheNameFitsInSixtyThreeCharacters() {
    String def = "a".repeat(100);
    String name = Names.taskName(CheckType.post, def, "s", "i");
    assertThat(name).hasSize(63).startsWith("post-aaaa").matches("post-a{47}-[0-9a-f]{10}");
  }

  @Test
  void cutThatEndsInADashDropsTheDash() {
    // room for the definition with "pre": 63 - 3 - 10 - 2 = 48 characters; the 48th is a dash
    String def = "b".repeat(47) + "-cccc";
    String name = Names.taskName(CheckType.pre, def, "s", "i");
    assertThat(name).matches("pre-b{47}-[0-9a-f]{10}").hasSize(62);
  }

  @Test
  void differentEventsOrDefinitionsGiveDifferentNamesAndTheSameEventTheSameName() {
    String a = Names.taskName(CheckType.pre, "d", "s", "1");
    assertThat(Names.taskName(CheckType.pre, "d", "s", "1")).isEqualTo(a);
    assertThat(Names.taskName(CheckType.pre, "d", "s", "2")).isNotEqualTo(a);
    assertThat(Names.taskName(CheckType.pre, "e", "s", "1")).isNotEqualTo(a);
    // the separator makes ("s1", "") and ("s", "1") different events
    assertThat(Names.triggerHash("s1", "")).isNotEqualTo(Names.triggerHash("s", "1"));
  }
}
