package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.Optional;

/**
 * The shared durable job queue (PostgreSQL). Capabilities enqueue work and register handlers; workers on
 * every node claim with {@code FOR UPDATE SKIP LOCKED} and a lease. A node only claims types it has a
 * handler for, so register handlers in a module's {@code start()}.
 */
public interface JobQueue {
  /** Enqueues in its own transaction; empty when a live job with the same unique key exists. */
  Future<Optional<Long>> enqueue(NewJob job);

  /** Enqueues inside the caller's transaction (outbox): the job exists only if that transaction commits. */
  Future<Optional<Long>> enqueue(SqlClient tx, NewJob job);

  /** Enqueues many in one statement (fan-out); returns how many were new (duplicates by unique key skipped). */
  Future<Integer> enqueueAll(SqlClient tx, List<NewJob> jobs);

  /** Starts claiming jobs of this type on this node. */
  void register(JobType type, JobHandler handler);

  /**
   * Enqueues {@code job.get()} once per slot of {@code cron}, cluster-wide: every node evaluates the schedule
   * and the slot's unique key ({@code schedule:<name>:<slot start>}) lets only one enqueue win. {@code cron}
   * is 5 fields (minute precision), 6 fields (seconds first), or {@code @every 30s|5m|1h}.
   */
  void schedule(String name, String cron, java.util.function.Supplier<NewJob> job);
}
