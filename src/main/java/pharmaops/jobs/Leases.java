package pharmaops.jobs;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Leases: renews those of the jobs this engine runs (learning of cancellations on the way, and of leases lost to
 * a reaper), and hands jobs of dead workers back to the queue. Runs on the engine's event loop.
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);
  private final JobEngine engine;
  private final Pool pool;
  private final String workerId;
  private final int leaseSeconds;

  Leases(JobEngine engine, Pool pool, String workerId, int leaseSeconds) {
    this.engine = engine;
    this.pool = pool;
    this.workerId = workerId;
    this.leaseSeconds = leaseSeconds;
  }

  void heartbeat() {
    if (engine.running().isEmpty()) return;
    Long[] ids = engine.running().keySet().toArray(Long[]::new);
    pool.preparedQuery(JobsSql.HEARTBEAT).execute(Tuple.of(ids, workerId, (double) leaseSeconds))
        .onSuccess(rows -> {
          var held = new HashSet<Long>();
          for (Row r : rows) {
            held.add(r.getLong(0));
            JobRun run = engine.running().get(r.getLong(0));
            if (run != null && r.getBoolean(1)) run.cancelled = true;
          }
          for (Long id : ids) {
            JobRun run = engine.running().get(id);
            if (run != null && !run.done && !held.contains(id)) run.abandoned = "lease lost";
          }
        })
        .onFailure(e -> log.warn("heartbeat failed {}", kv("error", e.toString())));
  }

  void reap() {
    pool.query(JobsSql.REAP).execute().onSuccess(rows -> {
      for (Row r : rows) {
        log.warn("re-queued job of a lost worker {} {}", kv("job", r.getLong("id")), kv("type", r.getString("type")));
        JobEvent.publish(engine.owner(), JobEvent.of(r));
        engine.onNotify(r.getString("type"));
      }
    }).onFailure(e -> log.warn("reaping expired leases failed {}", kv("error", e.toString())));
  }
}
