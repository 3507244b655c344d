package dev.taskbridge.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.keptn.KeptnTaskStatus;
import org.junit.jupiter.api.Test;

class StatusRuleTest {
  static KeptnTaskStatus status(String s) {
    KeptnTaskStatus st = new KeptnTaskStatus();
    st.status = s;
    return st;
  }

  @Test
  void anEndedTaskNeverGoesBackWhoeverDecidedOtherwise() {
    assertThat(Cluster.backwards(status("Succeeded"), status("Progressing"))).isTrue();
    assertThat(Cluster.backwards(status("Failed"), status("Pending"))).isTrue();
    assertThat(Cluster.backwards(status("Progressing"), status("Succeeded"))).isFalse();
    assertThat(Cluster.backwards(status("Pending"), status("Progressing"))).isFalse();
    assertThat(Cluster.backwards(null, status("Progressing"))).isFalse();
    assertThat(Cluster.backwards(status(null), status("Progressing"))).isFalse();
  }
}
