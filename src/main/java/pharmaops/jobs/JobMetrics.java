package pharmaops.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus series of the queue: depth (queued, running, dead) and age of the oldest due job per type, from
 * a periodic count; wait from due to start per type; finished jobs per type and outcome.
 */
public final class JobMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<JsonObject>> depth = new ConcurrentHashMap<>();

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void waited(String type, double seconds) {
    Timer.builder("pharmaops.jobs.wait").description("time from due to claimed").tag("type", type).register(registry)
        .record(Duration.ofNanos((long) (Math.max(0, seconds) * 1e9)));
  }

  void finished(String type, String state) {
    String name = "succeeded".equals(state) ? "pharmaops.jobs.completed" : "pharmaops.jobs.failed";
    Counter.builder(name).tag("type", type).tag("state", state).register(registry).increment();
  }

  /** One row of {@code /jobs/stats}: {type, queued, running, dead, oldestQueuedSeconds}. */
  void depth(JsonObject row) {
    String type = row.getString("type");
    depth.computeIfAbsent(type, t -> {
      var ref = new AtomicReference<>(row);
      for (String f : new String[] {"queued", "running", "dead", "oldestQueuedSeconds"}) {
        String name = "pharmaops.jobs." + ("oldestQueuedSeconds".equals(f) ? "oldest.queued.seconds" : f);
        Gauge.builder(name, ref, r -> r.get().getDouble(f, 0.0)).tag("type", t).register(registry);
      }
      return ref;
    }).set(row);
  }

  /** Types absent from the latest count have nothing left: their gauges drop to zero. */
  void depthSeen(java.util.Set<String> types) {
    depth.forEach((t, ref) -> {
      if (!types.contains(t)) ref.set(new JsonObject().put("type", t));
    });
  }
}
