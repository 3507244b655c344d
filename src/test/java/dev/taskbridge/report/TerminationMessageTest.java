package dev.taskbridge.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminationMessageTest {
  @Test
  void onlyAJsonObjectOfAtMost4096BytesIsAnOutput() {
    assertThat(Outputs.fromTerminationMessage("{ \"a\" : 1 }")).hasValue("{\"a\":1}");
    assertThat(Outputs.fromTerminationMessage(" {\"a\":[1,2]}\n")).hasValue("{\"a\":[1,2]}");
    assertThat(Outputs.fromTerminationMessage(null)).isEmpty();
    assertThat(Outputs.fromTerminationMessage("")).isEmpty();
    assertThat(Outputs.fromTerminationMessage("done")).isEmpty();
    assertThat(Outputs.fromTerminationMessage("[1]")).isEmpty();
    assertThat(Outputs.fromTerminationMessage("\"text\"")).isEmpty();
    assertThat(Outputs.fromTerminationMessage("{\"a\":1,\"a\":2}")).as("duplicate keys").isEmpty();
    String at = "{\"k\":\"" + "é".repeat((4096 - 8) / 2) + "\"}"; // 2 bytes a character
    assertThat(at.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(Outputs.fromTerminationMessage(at)).isPresent();
    assertThat(Outputs.fromTerminationMessage(at.replace("{\"k\"", "{\"kk\""))).isEmpty();
  }
}
