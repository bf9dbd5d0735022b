package pharmaops.jobs;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Cron schedules of this node. Every node arms the same timers; the slot's unique key
 * ({@code schedule:<name>:<slot>}) makes exactly one enqueue per slot win cluster-wide.
 */
final class Schedules {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private final Vertx vertx;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile JobQueue queue;

  private static final class Entry {
    final String name;
    final Cron cron;
    final Supplier<NewJob> job;
    volatile long timer = -1;

    Entry(String name, Cron cron, Supplier<NewJob> job) {
      this.name = name;
      this.cron = cron;
      this.job = job;
    }
  }

  Schedules(Vertx vertx) {
    this.vertx = vertx;
  }

  void add(String name, Cron cron, Supplier<NewJob> job) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) throw new IllegalArgumentException("bad schedule name '" + name + "'");
    Entry e = new Entry(name, cron, job);
    if (entries.putIfAbsent(name, e) != null) throw new IllegalStateException("schedule " + name + " exists already");
    if (queue != null) arm(e, Instant.now());
  }

  void start(JobQueue q) {
    queue = q;
    entries.values().forEach(e -> arm(e, Instant.now()));
  }

  void stop() {
    queue = null;
    entries.values().forEach(e -> vertx.cancelTimer(e.timer));
  }

  private void arm(Entry e, Instant after) {
    Instant slot = e.cron.next(after);
    long delay = Math.max(1, slot.toEpochMilli() - System.currentTimeMillis());
    e.timer = vertx.setTimer(delay, t -> fire(e, slot));
  }

  private void fire(Entry e, Instant slot) {
    JobQueue q = queue;
    if (q == null) return;
    // The next slot is computed from this one, never from the clock: a timer firing a little early cannot repeat it.
    arm(e, Instant.now().isAfter(slot) ? Instant.now() : slot);
    NewJob job;
    try {
      job = e.job.get().uniqueKey("schedule:" + e.name + ":" + slot);
    } catch (RuntimeException ex) {
      log.warn("schedule could not build its job {} {}", kv("schedule", e.name), kv("error", ex.toString()));
      return;
    }
    q.enqueue(job)
        .onSuccess(id -> log.debug("schedule slot {} {} {}", kv("schedule", e.name), kv("slot", slot), kv("enqueued", id.isPresent())))
        .onFailure(ex -> log.warn("schedule enqueue failed {} {}", kv("schedule", e.name), kv("error", ex.toString())));
  }
}
