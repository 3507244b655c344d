package dev.taskbridge.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A task's results and a trigger's phase, from owed to forgotten, without Kafka or a cluster. */
class ResultLedgerTest {
  static final TaskKey TASK = new TaskKey("team-a", "pre-smoke-1");
  static final TriggerKey TRIGGER = new TriggerKey("team-a", "abc");
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  final ResultLedger ledger = new ResultLedger();
  final PhaseLedger phases = new PhaseLedger();

  @Test
  void oneSendAtATimeAndAFailedSendOwesTheSameResultsAgain() {
    assertThat(ledger.send(TASK)).isTrue();
    assertThat(ledger.send(TASK)).isFalse();
    assertThat(ledger.inFlight()).isEqualTo(1);
    ledger.notAcknowledged(TASK);
    assertThat(ledger.inFlight(TASK)).isFalse();
    assertThat(ledger.known(TASK, List.of())).isEmpty();
    assertThat(ledger.send(TASK)).isTrue();
  }

  @Test
  void acknowledgedResultsAreRecordedTogetherWithTheTerminalOne() {
    ledger.send(TASK);
    ledger.acknowledged(TASK, List.of("started", "retrying.1"), false);
    // known (not published again) but not written: one write per task, with its end
    assertThat(ledger.known(TASK, List.of())).containsExactly("started", "retrying.1");
    assertThat(ledger.toRecord(TASK, List.of())).isEmpty();

    ledger.terminalSeen(TASK, NOW);
    ledger.terminalSeen(TASK, NOW.plusSeconds(5)); // the first sight counts
    ledger.send(TASK);
    assertThat(ledger.acknowledged(TASK, List.of("failed"), false)).contains(NOW);
    var write = ledger.toRecord(TASK, List.of("started"));
    assertThat(write).isPresent();
    assertThat(write.get().published()).containsExactly("started", "retrying.1", "failed");
    assertThat(write.get().withPhase()).isFalse();

    ledger.recorded(TASK, write.get());
    assertThat(ledger.toRecord(TASK, List.of())).isEmpty(); // nothing twice
    assertThat(ledger.recordedKinds(TASK)).containsExactly("started", "retrying.1", "failed");
    ledger.caughtUp(TASK);
    assertThat(ledger.recordedKinds(TASK)).isEmpty();
  }

  @Test
  void aPhaseSentWithTheTaskIsRecordedWithItEvenWhenTheTaskAlreadySaysItsResults() {
    ledger.send(TASK);
    ledger.acknowledged(TASK, List.of("succeeded"), true);
    var write = ledger.toRecord(TASK, List.of("started", "succeeded"));
    assertThat(write).isPresent();
    assertThat(write.get().withPhase()).isTrue();
    ledger.recorded(TASK, write.get());
    assertThat(ledger.phaseRecorded(TASK)).isTrue();
  }

  @Test
  void whatWasReadIsReadOnceUnlessItWasNotThereYet() {
    AtomicInteger reads = new AtomicInteger();
    assertThat(ledger.once(TASK, "tail.1", () -> (reads.incrementAndGet() > 1 ? "boom" : null)))
        .isNull();
    assertThat(ledger.once(TASK, "tail.1", () -> (reads.incrementAndGet() > 1 ? "boom" : null)))
        .isEqualTo("boom");
    assertThat(ledger.once(TASK, "tail.1", () -> "gone after the TTL")).isEqualTo("boom");
    assertThat(reads).hasValue(2);
  }

  @Test
  void logsAreAwaitedFromTheFirstTimeTheyWereMissed() {
    assertThat(ledger.logsAwaited(TASK)).isNull();
    assertThat(ledger.awaitingLogs(TASK, NOW)).isEqualTo(NOW);
    assertThat(ledger.awaitingLogs(TASK, NOW.plusSeconds(3))).isEqualTo(NOW);
    ledger.logsRead(TASK);
    assertThat(ledger.logsAwaited(TASK)).isNull();
  }

  @Test
  void forgettingReleasesEverythingAboutATaskOrATrigger() {
    ledger.send(TASK);
    ledger.acknowledged(TASK, List.of("started"), false);
    ledger.terminalSeen(TASK, NOW);
    ledger.awaitingLogs(TASK, NOW);
    ledger.once(TASK, "tail.1", () -> "log");
    phases.tombstone(TRIGGER, ResultFactoryTest.facts("b", "Failed", "b", 1, 0, Set.of(), "X"));
    phases.sendPhase(TRIGGER);
    assertThat(ledger.size()).isEqualTo(1);
    assertThat(phases.size()).isEqualTo(1);

    ledger.forget(TASK);
    phases.forgetPhase(TRIGGER);
    assertThat(ledger.size()).isZero();
    assertThat(phases.size()).isZero();
    assertThat(ledger.known(TASK, List.of())).isEmpty();
    assertThat(ledger.once(TASK, "tail.1", () -> "read again")).isEqualTo("read again");
  }

  @Test
  void readingAnUnknownTaskOrTriggerKeepsNothing() {
    ledger.known(TASK, List.of("started"));
    ledger.toRecord(TASK, List.of());
    ledger.inFlight(TASK);
    ledger.phaseRecorded(TASK);
    ledger.logsAwaited(TASK);
    ledger.notAcknowledged(TASK);
    ledger.caughtUp(TASK);
    phases.phaseBusy(TRIGGER);
    phases.phaseAcked(TRIGGER);
    phases.tombstones(TRIGGER);
    assertThat(ledger.size()).isZero();
    assertThat(phases.size()).isZero();
  }

  @Test
  void aPhaseIsSentOnceAndLetGoOnlyWhenEveryTaskIsMarked() {
    assertThat(phases.sendPhase(TRIGGER)).isTrue();
    assertThat(phases.phaseBusy(TRIGGER)).isTrue();
    assertThat(phases.sendPhase(TRIGGER)).isFalse();
    phases.phaseSent(TRIGGER, false); // Kafka refused: owed again
    assertThat(phases.phaseAcked(TRIGGER)).isFalse();
    assertThat(phases.sendPhase(TRIGGER)).isTrue();
    phases.phaseSent(TRIGGER, true);
    assertThat(phases.inFlight()).isZero();
    assertThat(phases.phaseAcked(TRIGGER)).isTrue(); // until every task is marked
    phases.tombstone(TRIGGER, ResultFactoryTest.facts("b", "Failed", "b", 1, 0, Set.of(), "X"));
    phases.phaseMarked(TRIGGER);
    assertThat(phases.phaseAcked(TRIGGER)).isFalse();
    assertThat(phases.phaseBusy(TRIGGER)).isTrue(); // done: not sent again
    assertThat(phases.sendPhase(TRIGGER)).isFalse();
    assertThat(phases.tombstones(TRIGGER)).isEmpty();
  }
}
