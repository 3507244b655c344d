package dev.taskbridge.it;

import static org.awaitility.Awaitility.await;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ProbeIT {
  @Test
  void probe() {
    Defs.apply(Defs.container("default", "probe-ok"));
    TestInfra.simulator().script("probe-ok", Script.succeed().taking(Duration.ofMillis(10)));
    Map<String, String> p =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    try (PackagedApp app = PackagedApp.start(p)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      List<ProducerRecord<byte[], byte[]>> recs = new ArrayList<>();
      Set<String> triggers = new java.util.HashSet<>();
      for (int i = 0; i < 1500; i++) {
        Events e = Events.pre("default", "probe", "v" + i).tasks("probe-ok");
        triggers.add(e.trigger());
        recs.add(e.binary(Bus.EVENTS));
      }
      long t0 = System.nanoTime();
      Bus.sendAll(recs);
      long[] tasksAt = new long[1];
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                long n =
                    Bus.results().events().stream()
                        .filter(
                            c -> c.kind().equals("phase.finished") && triggers.contains(c.key()))
                        .count();
                long s =
                    Bus.results().events().stream()
                        .filter(c -> c.kind().equals("task.started") && triggers.contains(c.key()))
                        .count();
                System.out.printf(
                    "t=%.1fs started=%d finished=%d%n", (System.nanoTime() - t0) / 1e9, s, n);
                return n == 1500;
              });
      System.out.printf("1500 in %.1fs%n", (System.nanoTime() - t0) / 1e9);
      for (String line : app.body("/q/metrics").split("\n")) {
        if (line.startsWith("taskbridge_event_to_job_seconds_bucket")
            || line.startsWith("taskbridge_result_latency_seconds_bucket")
            || line.startsWith("taskbridge_event_to_job_seconds_count")) {
          System.out.println(line);
        }
      }
    }
  }
}
