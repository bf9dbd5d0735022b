package pharmaops.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.JobType;
import pharmaops.jobs.JobsConfig;
import pharmaops.jobs.JobsModule;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;
import pharmaops.support.TestApp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue on one node's database: enqueue rates (one job per call, and fan-out batches), claim+complete of
 * no-op jobs with 4 workers (4 engines, as 4 nodes would run), and the latency from enqueue to handler start
 * on an idle queue (LISTEN/NOTIFY wake-up; the fallback poll is set to a minute so it cannot help).
 * Usage: JobsBench [jobs=40000] [latencySamples=400]
 */
public final class JobsBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    TestApp app = TestApp.start(new JsonObject().put("pg", new JsonObject().put("poolSize", 16)));
    Platform platform = app.app().platform();
    try {
      JobsConfig cfg = new JobsConfig(60_000, 30, 10, 64, 250, 5, 60, 4, 168);
      List<JobsModule> engines = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JobsModule m = new JobsModule(platform, cfg);
        get(m.start());
        engines.add(m);
      }
      JobQueue q = engines.get(0).queue();
      warmUp(platform, engines, Math.min(n / 4, 5_000));

      // Enqueue, one job per call, 32 calls in flight (no handler for this type: they stay queued).
      int single = Math.min(n / 4, 10_000);
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> lanes = new ArrayList<>();
      for (int l = 0; l < 32; l++) lanes.add(enqueueLoop(q, next, single, "bench.enqueue"));
      get(Future.all(lanes));
      double enqueueRate = single / secs(t0);

      // Fan-out: enqueueAll in transactions of 1,000 jobs.
      t0 = System.nanoTime();
      for (int done = 0; done < n; done += 1000) {
        List<NewJob> batch = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) batch.add(NewJob.of("bench.noop", new JsonObject().put("i", done + i)));
        get(platform.pool().withTransaction(tx -> q.enqueueAll(tx, batch)));
      }
      double batchRate = n / secs(t0);

      // Claim + complete with 4 workers (engines), each up to 64 jobs at once.
      AtomicInteger ran = new AtomicInteger();
      t0 = System.nanoTime();
      for (JobsModule m : engines) {
        m.queue().register(JobType.of("bench.noop").concurrency(64), job -> {
          ran.incrementAndGet();
          return Future.succeededFuture(new JsonObject());
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      long succeeded = 0;
      while (System.nanoTime() < deadline) {
        succeeded = count(platform, "SELECT count(*) FROM job WHERE type = 'bench.noop' AND state = 'succeeded'");
        if (succeeded >= n) break;
        Thread.sleep(50);
      }
      double claimRate = succeeded / secs(t0);
      long twice = ran.get() - succeeded;

      // Latency enqueue -> start on an idle queue.
      Map<Long, Long> started = new ConcurrentHashMap<>();
      q.register(JobType.of("bench.latency").concurrency(4), job -> {
        started.put(job.payload().getLong("k"), System.nanoTime());
        return Future.succeededFuture(new JsonObject());
      });
      Thread.sleep(500);
      long[] lat = new long[samples];
      for (int i = 0; i < samples; i++) {
        long k = i;
        long s = System.nanoTime();
        get(q.enqueue(NewJob.of("bench.latency", new JsonObject().put("k", k))));
        while (!started.containsKey(k) && System.nanoTime() - s < TimeUnit.SECONDS.toNanos(5)) Thread.onSpinWait();
        Long at = started.get(k);
        lat[i] = at == null ? TimeUnit.SECONDS.toNanos(5) : at - s;
        Thread.sleep(5);
      }
      Arrays.sort(lat);
      double p50 = lat[samples / 2] / 1e6;
      double p99 = lat[(int) Math.ceil(samples * 0.99) - 1] / 1e6;
      double max = lat[samples - 1] / 1e6;

      System.out.printf("jobs: enqueue (1 per call, 32 in flight, %d jobs)   %,.0f jobs/s%n", single, enqueueRate);
      System.out.printf("jobs: enqueueAll (1,000 per statement, %d jobs)     %,.0f jobs/s%n", n, batchRate);
      System.out.printf("jobs: claim+complete no-op, 4 workers x 64          %,.0f jobs/s  (%d of %d done, %d ran more than once; goal >= 5,000)%n",
          claimRate, succeeded, n, Math.max(0, twice));
      System.out.printf("jobs: enqueue -> start, idle queue, %d samples      p50 %.2f ms  p99 %.2f ms  max %.2f ms  (goal p99 <= 20 ms)%n",
          samples, p50, p99, max);
      System.out.printf("RESULT jobs_claim_complete_per_s %.0f pgbench_pk_tps%n", claimRate);
      System.out.printf("RESULT jobs_enqueue_per_s %.0f pgbench_pk_tps%n", enqueueRate);
      System.out.printf("RESULT jobs_enqueue_batch_per_s %.0f pgbench_pk_tps%n", batchRate);
      System.out.printf("RESULT jobs_enqueue_to_start_p99_ms %.2f -%n", p99);
      for (JobsModule m : engines) get(m.stop());
    } finally {
      app.close();
    }
    System.exit(0);
  }

  /** Same paths, unmeasured, so the figures are of a warm JIT and warm connections. */
  private static void warmUp(Platform platform, List<JobsModule> engines, int n) throws InterruptedException {
    JobQueue q = engines.get(0).queue();
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> lanes = new ArrayList<>();
    for (int l = 0; l < 32; l++) lanes.add(enqueueLoop(q, next, n, "bench.warm"));
    get(Future.all(lanes));
    for (JobsModule m : engines) m.queue().register(JobType.of("bench.warm").concurrency(64), job -> Future.succeededFuture(new JsonObject()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && count(platform, "SELECT count(*) FROM job WHERE type = 'bench.warm' AND state = 'succeeded'") < n) {
      Thread.sleep(100);
    }
  }

  private static Future<Void> enqueueLoop(JobQueue q, AtomicInteger next, int total, String type) {
    int i = next.getAndIncrement();
    if (i >= total) return Future.succeededFuture();
    return q.enqueue(NewJob.of(type, new JsonObject().put("i", i))).compose(id -> enqueueLoop(q, next, total, type));
  }

  static long count(Platform p, String sql) {
    return get(p.pool().preparedQuery(sql).execute(Tuple.tuple())).iterator().next().getLong(0);
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static <T> T get(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
