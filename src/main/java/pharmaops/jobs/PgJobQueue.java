package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link JobQueue} on PostgreSQL: inserts (with a wake-up NOTIFY), registrations and schedules of this node. */
final class PgJobQueue implements JobQueue {
  private final Pool pool;
  private final Pool notifier;
  private final JobRegistry registry;
  private final Schedules schedules;
  private final io.vertx.core.Vertx vertx;
  private volatile JobEngine engine;

  PgJobQueue(io.vertx.core.Vertx vertx, Pool pool, Pool notifier, JobRegistry registry, Schedules schedules) {
    this.vertx = vertx;
    this.pool = pool;
    this.notifier = notifier;
    this.registry = registry;
    this.schedules = schedules;
  }

  void attach(JobEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Optional<Long>> enqueue(NewJob job) {
    // PostgreSQL serialises committing transactions that NOTIFY (a global lock held through the WAL flush), so
    // the durable insert goes alone and the wake-up follows on the engine's asynchronous-commit pool. The event
    // goes out once committed (never for a job whose commit failed) and before any worker is woken, so the
    // local engine and the nodes the NOTIFY wakes announce it running only after it was announced queued; only
    // a node whose fallback poll claims it in the instant between commit and publish could come first.
    return pool.withTransaction(tx -> insert(tx, JobsSql.ENQUEUE_QUIET, job)).compose(id -> {
      if (id.isEmpty()) return Future.succeededFuture(id);
      JobEvent.publish(vertx, JobEvent.of(id.get(), job.type(), "queued", 0, 0, job.owner(), null, null));
      JobEngine e = engine;
      if (e != null) e.wake(job.type());
      return notifier.preparedQuery(JobsSql.NOTIFY).execute(Tuple.of(job.type())).map(id).recover(x -> Future.succeededFuture(id));
    });
  }

  /** No {@code queued} event here: it could only be sent before the caller's commit, i.e. possibly for nothing. */
  @Override
  public Future<Optional<Long>> enqueue(SqlClient tx, NewJob job) {
    return insert(tx, JobsSql.ENQUEUE, job);
  }

  private Future<Optional<Long>> insert(SqlClient client, String sql, NewJob job) {
    check(job);
    return client.preparedQuery(sql).execute(Tuple.from(new Object[] {job.type(), payload(job), job.uniqueKey(),
            job.owner(), job.priority(), at(job)}))
        .map(rows -> {
          if (rows.rowCount() == 0) return Optional.<Long>empty();
          return Optional.of(rows.iterator().next().getLong(0));
        });
  }

  @Override
  public Future<Integer> enqueueAll(SqlClient tx, List<NewJob> jobs) {
    if (jobs.isEmpty()) return Future.succeededFuture(0);
    int n = jobs.size();
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] keys = new String[n];
    String[] owners = new String[n];
    Integer[] priorities = new Integer[n];
    OffsetDateTime[] runAt = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      NewJob j = jobs.get(i);
      check(j);
      types[i] = j.type();
      payloads[i] = payload(j).encode();
      keys[i] = j.uniqueKey();
      owners[i] = j.owner();
      priorities[i] = j.priority();
      runAt[i] = at(j);
    }
    return tx.preparedQuery(JobsSql.ENQUEUE_ALL).execute(Tuple.of(types, payloads, keys, owners, priorities, runAt))
        .map(rows -> rows.iterator().next().getInteger("n"));
  }

  @Override
  public void register(JobType type, JobHandler handler) {
    registry.register(type, handler);
    JobEngine e = engine;
    if (e != null) e.wake(type.name());
  }

  @Override
  public void schedule(String name, String cron, Supplier<NewJob> job) {
    schedules.add(name, Cron.parse(cron), job);
  }

  private static void check(NewJob job) {
    if (job.type() == null || job.type().isBlank()) throw new IllegalArgumentException("a job needs a type");
  }

  private static JsonObject payload(NewJob job) {
    return job.payload() == null ? new JsonObject() : job.payload();
  }

  private static OffsetDateTime at(NewJob job) {
    return job.runAt() == null ? null : job.runAt().atOffset(ZoneOffset.UTC);
  }
}
