package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.jobs.JobsSupport.FAST;

class JobEngineIT {
  static TestApp app;
  static JobsSupport jobs;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    jobs = new JobsSupport(app.app().platform());
  }

  @AfterEach
  void stopEngines() {
    jobs.stopAll();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void enqueuedJobRunsOnceAndPublishesEveryStateChange() {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    var consumer = app.app().vertx().eventBus().<JsonObject>consumer(JobEvents.UPDATED, m -> {
      if ("t.ok".equals(m.body().getString("type"))) events.add(m.body());
    });
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger runs = new AtomicInteger();
    q.register(JobType.of("t.ok"), job -> {
      runs.incrementAndGet();
      return job.progress(50, new JsonObject().put("half", true))
          .map(v -> new JsonObject().put("echo", job.payload().getString("x")).put("owner", job.owner()));
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.ok", new JsonObject().put("x", "hello")).owner("maria"))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(id).equals("succeeded"));
    JsonObject job = jobs.job(id);
    assertThat(job.getJsonObject("result").getString("echo")).isEqualTo("hello");
    assertThat(job.getJsonObject("result").getString("owner")).isEqualTo("maria");
    assertThat(job.getInteger("progress")).isEqualTo(100);
    assertThat(job.getJsonObject("details").getBoolean("half")).isTrue();
    assertThat(runs.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.getString("state").equals("succeeded")));
    // queued may race with the first running (a polling claimer can beat the post-commit announcement); the rest is ordered
    List<String> states = events.stream().map(e -> e.getString("state")).toList();
    assertThat(states).contains("queued").filteredOn(st -> !st.equals("queued")).containsExactly("running", "running", "succeeded");
    JsonObject last = events.get(events.size() - 1);
    assertThat(last.getString("state")).isEqualTo("succeeded");
    assertThat(last.fieldNames()).contains("id", "type", "state", "progress", "attempt", "owner", "details", "error", "at");
    assertThat(last.getString("owner")).isEqualTo("maria");
    consumer.unregister();
  }

  @Test
  void newJobWakesAnIdleWorkerWithoutWaitingForThePoll() {
    JobQueue q = jobs.engine(new JobsConfig(600_000, 30, 10, 8, 0, 1, 60, 4, 168)).queue();
    q.register(JobType.of("t.wake"), job -> Future.succeededFuture(new JsonObject()));
    // Let the start-up claim pass: from now on only a NOTIFY (or a 10-minute poll) can find new work.
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.wake", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> jobs.state(id).equals("succeeded"));
  }

  @Test
  void failingJobIsRetriedWithBackoffThenDeadAndAnAdminCanRetryIt() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Boolean> heal = new AtomicReference<>(false);
    q.register(JobType.of("t.flaky").maxAttempts(3).backoffBase(Duration.ofMillis(20)), job -> {
      attempts.incrementAndGet();
      return heal.get() ? Future.succeededFuture(new JsonObject().put("attempt", job.attempt()))
          : Future.failedFuture(new IllegalStateException("remote said no"));
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.flaky", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(15)).until(() -> jobs.state(id).equals("dead"));
    JsonObject dead = jobs.job(id);
    assertThat(dead.getInteger("attempts")).isEqualTo(3);
    assertThat(dead.getString("error")).contains("remote said no");
    assertThat(attempts.get()).isEqualTo(3);

    var listed = app.get("/api/v1/jobs?state=dead&type=t.flaky", TestApp.ADMIN_TOKEN);
    assertThat(listed.json().getJsonArray("items").size()).isEqualTo(1);
    heal.set(true);
    var retried = app.post("/api/v1/jobs/" + id + "/retry", TestApp.ADMIN_TOKEN, "");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.json().getString("state")).isEqualTo("queued");
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(id).equals("succeeded"));
    assertThat(jobs.job(id).getJsonObject("result").getInteger("attempt")).isEqualTo(1);
    assertThat(app.post("/api/v1/jobs/" + id + "/retry", TestApp.ADMIN_TOKEN, "").status()).as("only dead jobs").isEqualTo(409);
  }

  @Test
  void attemptLongerThanTheTimeoutFailsAndIsRetried() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger attempts = new AtomicInteger();
    q.register(JobType.of("t.slow").maxAttempts(2).timeout(Duration.ofMillis(200)).backoffBase(Duration.ofMillis(10)), job -> {
      attempts.incrementAndGet();
      return Promise.<JsonObject>promise().future(); // never completes
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.slow", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(id).equals("dead"));
    assertThat(jobs.job(id).getString("error")).contains("timed out");
    assertThat(attempts.get()).isEqualTo(2);
  }

  @Test
  void runningHandlersOfOneTypeNeverExceedItsConcurrency() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    var vertx = app.app().vertx();
    q.register(JobType.of("t.limit").concurrency(3), job -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      Promise<JsonObject> p = Promise.promise();
      vertx.setTimer(5, t -> {
        now.decrementAndGet();
        p.complete(new JsonObject());
      });
      return p.future();
    });
    var batch = IntStream.range(0, 30).mapToObj(i -> NewJob.of("t.limit", new JsonObject())).toList();
    JobsSupport.await(app.app().platform().pool().withTransaction(tx -> q.enqueueAll(tx, batch)));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        jobs.count("SELECT count(*) FROM job WHERE type = 't.limit' AND state = 'succeeded'") == 30);
    assertThat(most.get()).as("the limit is used, never exceeded").isEqualTo(3);
  }

  @Test
  void timedOutAttemptKeepsItsSlotUntilItsHandlerReturns() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Runnable> returnLate = new AtomicReference<>();
    q.register(JobType.of("t.overrun").concurrency(1).maxAttempts(1).timeout(Duration.ofMillis(200)), job -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      if (calls.incrementAndGet() > 1) {
        now.decrementAndGet();
        return Future.succeededFuture(new JsonObject());
      }
      // The first handler ignores its timeout and returns only when the test says so (on the engine's loop).
      Promise<JsonObject> p = Promise.promise();
      var ctx = io.vertx.core.Vertx.currentContext();
      returnLate.set(() -> ctx.runOnContext(v -> {
        now.decrementAndGet();
        p.complete(new JsonObject());
      }));
      return p.future();
    });
    long first = JobsSupport.await(q.enqueue(NewJob.of("t.overrun", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(first).equals("dead"));
    long second = JobsSupport.await(q.enqueue(NewJob.of("t.overrun", new JsonObject()))).orElseThrow();
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true); // wake-ups and polls that must not claim it
    assertThat(jobs.state(second)).as("the overrunning handler still holds the only slot").isEqualTo("queued");
    returnLate.get().run();
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(second).equals("succeeded"));
    assertThat(jobs.state(first)).as("its late return changes nothing").isEqualTo("dead");
    assertThat(most.get()).isEqualTo(1);
  }

  @Test
  void jobReclaimedByItsOwnEngineKeepsTheNewAttemptLeasedWhenTheOldOneEnds() {
    JobQueue q = jobs.engine(FAST).queue();
    List<Runnable> finish = new CopyOnWriteArrayList<>();
    q.register(JobType.of("t.reclaim"), job -> {
      Promise<JsonObject> p = Promise.promise();
      var ctx = io.vertx.core.Vertx.currentContext();
      finish.add(() -> ctx.runOnContext(v -> p.complete(new JsonObject().put("attempt", job.attempt()))));
      return p.future();
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.reclaim", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> finish.size() == 1);
    // What a reaper does once this engine's heartbeats failed for a whole lease: the job goes back to the queue,
    // and the same engine claims it again while its first attempt is still running.
    jobs.count("WITH u AS (UPDATE job SET state = 'queued', locked_by = NULL, lease_until = NULL WHERE id = $1 RETURNING 1)"
        + " SELECT count(*) FROM u", id);
    await().atMost(Duration.ofSeconds(10)).until(() -> finish.size() == 2);
    finish.get(0).run(); // the old attempt ends
    Instant lease = Instant.parse(jobs.job(id).getString("leaseUntil"));
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject job = jobs.job(id);
      return job.getString("state").equals("running") && job.getInteger("attempts") == 2 && job.getString("leaseUntil") != null
          && Instant.parse(job.getString("leaseUntil")).isAfter(lease.plusSeconds(1));
    });
    finish.get(1).run();
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(id).equals("succeeded"));
    assertThat(jobs.job(id).getJsonObject("result").getInteger("attempt")).isEqualTo(2);
    assertThat(finish).as("never run a third time").hasSize(2);
  }

  @Test
  void uniqueKeyKeepsOneLiveJobPerKey() {
    JobQueue q = jobs.engine(FAST).queue(); // no handler for t.unique: jobs stay queued
    var first = JobsSupport.await(q.enqueue(NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:1:2026-11")));
    var second = JobsSupport.await(q.enqueue(NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:1:2026-11")));
    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    var pool = app.app().platform().pool();
    int added = JobsSupport.await(pool.withTransaction(tx -> q.enqueueAll(tx, List.of(
        NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:1:2026-11"),
        NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:2:2026-11"),
        NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:2:2026-11"),
        NewJob.of("t.unique", new JsonObject())))));
    assertThat(added).as("one duplicate of the table, one within the batch").isEqualTo(2);
    // Once the live one is cancelled the key is free again.
    assertThat(app.delete("/api/v1/jobs/" + first.get(), TestApp.ADMIN_TOKEN).json().getString("state")).isEqualTo("cancelled");
    assertThat(JobsSupport.await(q.enqueue(NewJob.of("t.unique", new JsonObject()).uniqueKey("customer:1:2026-11")))).isPresent();
  }

  @Test
  void enqueueInsideARolledBackTransactionLeavesNoJob() {
    JobQueue q = jobs.engine(FAST).queue();
    var pool = app.app().platform().pool();
    Future<Object> f = pool.withTransaction(tx -> q.enqueue(tx, NewJob.of("t.outbox", new JsonObject()))
        .compose(id -> Future.failedFuture(new IllegalStateException("business rule failed"))));
    assertThat(f.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    assertThat(jobs.count("SELECT count(*) FROM job WHERE type = $1", "t.outbox")).isZero();
  }

  @Test
  void enqueueWhoseCommitFailsPublishesNoEvent() {
    sql("CREATE FUNCTION t_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$");
    sql("""
        CREATE CONSTRAINT TRIGGER t_refuse_commit AFTER INSERT ON job DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.type = 't.ghost') EXECUTE FUNCTION t_refuse_commit()""");
    List<String> seen = new CopyOnWriteArrayList<>();
    var consumer = app.app().vertx().eventBus().<JsonObject>consumer(JobEvents.UPDATED, m -> {
      if (m.body().getString("type", "").startsWith("t.ghost")) seen.add(m.body().getString("type"));
    });
    JobsSupport.await(consumer.completion());
    JobQueue q = jobs.engine(FAST).queue();
    assertThat(q.enqueue(NewJob.of("t.ghost", new JsonObject())).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
    // Published after the failure, so delivered after any event the failed enqueue sent.
    app.app().vertx().eventBus().publish(JobEvents.UPDATED, new JsonObject().put("id", -1).put("type", "t.ghost.marker"));
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("t.ghost.marker"));
    assertThat(seen).containsExactly("t.ghost.marker");
    assertThat(jobs.count("SELECT count(*) FROM job WHERE type = 't.ghost'")).isZero();
    consumer.unregister();
  }

  @Test
  void queuedJobCancelledBeforeItRunsNeverRuns() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicInteger runs = new AtomicInteger();
    q.register(JobType.of("t.later"), job -> {
      runs.incrementAndGet();
      return Future.succeededFuture(new JsonObject());
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.later", new JsonObject()).runAt(Instant.now().plusSeconds(60)))).orElseThrow();
    var r = app.delete("/api/v1/jobs/" + id, TestApp.ADMIN_TOKEN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("state")).isEqualTo("cancelled");
    JobsSupport.await(app.app().platform().pool().query("UPDATE job SET run_at = now() WHERE type = 't.later'").execute());
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(runs.get()).as("even once due, a cancelled job is not claimed").isZero();
    assertThat(app.delete("/api/v1/jobs/" + id, TestApp.ADMIN_TOKEN).status()).as("already over").isEqualTo(409);
    assertThat(app.delete("/api/v1/jobs/999999999", TestApp.ADMIN_TOKEN).status()).isEqualTo(404);
  }

  @Test
  void runningJobCancelledStopsAtItsNextProgress() {
    JobQueue q = jobs.engine(FAST).queue();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicInteger chunks = new AtomicInteger();
    var vertx = app.app().vertx();
    q.register(JobType.of("t.chunks"), job -> {
      Promise<JsonObject> done = Promise.promise();
      long timer = vertx.setPeriodic(50, t -> job.progress(chunks.incrementAndGet() % 100, new JsonObject()).onFailure(e -> {
        seen.set(e);
        done.tryFail(e);
      }));
      return done.future().onComplete(x -> vertx.cancelTimer(timer));
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.chunks", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> chunks.get() > 3);
    var r = app.delete("/api/v1/jobs/" + id, TestApp.ADMIN_TOKEN);
    assertThat(r.status()).as("running: cancellation requested").isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.state(id).equals("cancelled"));
    assertThat(seen.get()).isInstanceOf(JobCancelledException.class);
    assertThat(jobs.job(id).getInteger("attempts")).as("never retried").isEqualTo(1);
  }

  @Test
  void checkpointConfirmsTheLeaseWhereAThrottledProgressWouldNot() {
    JobQueue q = jobs.engine(new JobsConfig(200, 2, 1, 8, 600_000, 1, 60, 4, 168)).queue(); // progress: once per 10 min
    AtomicReference<Runnable> goOn = new AtomicReference<>();
    AtomicReference<String> outcome = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    q.register(JobType.of("t.checkpoint"), job -> {
      if (calls.incrementAndGet() > 1) return Future.succeededFuture(new JsonObject());
      Promise<JsonObject> p = Promise.promise();
      var ctx = io.vertx.core.Vertx.currentContext();
      job.progress(10, new JsonObject()).onSuccess(v -> goOn.set(() -> ctx.runOnContext(x ->
          job.progress(20, new JsonObject())
              .compose(y -> job.checkpoint(30, new JsonObject()))
              .onComplete(ar -> {
                outcome.set(ar.succeeded() ? "still ours" : ar.cause().getMessage());
                p.tryComplete(new JsonObject());
              }))));
      return p.future();
    });
    long id = JobsSupport.await(q.enqueue(NewJob.of("t.checkpoint", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> goOn.get() != null);
    jobs.count("WITH u AS (UPDATE job SET locked_by = 'w-thief' WHERE id = $1 RETURNING 1) SELECT count(*) FROM u", id);
    goOn.get().run();
    await().atMost(Duration.ofSeconds(10)).until(() -> outcome.get() != null);
    assertThat(outcome.get()).contains("lease lost");
  }

  @Test
  void twoEnginesOnOneQueueNeverRunAJobTwiceOrTwiceAtOnce() {
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Set<Long> now = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    var vertx = app.app().vertx();
    JobHandler handler = job -> {
      if (!now.add(job.id())) overlaps.incrementAndGet();
      runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
      Promise<JsonObject> p = Promise.promise();
      vertx.setTimer(1 + job.id() % 5, t -> {
        now.remove(job.id());
        p.complete(new JsonObject());
      });
      return p.future();
    };
    jobs.engine(FAST).queue().register(JobType.of("t.shared").concurrency(8), handler);
    JobQueue q = jobs.engine(FAST).queue();
    q.register(JobType.of("t.shared").concurrency(8), handler);
    var batch = IntStream.range(0, 400).mapToObj(i -> NewJob.of("t.shared", new JsonObject().put("i", i))).toList();
    int added = JobsSupport.await(app.app().platform().pool().withTransaction(tx -> q.enqueueAll(tx, batch)));
    assertThat(added).isEqualTo(400);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        jobs.count("SELECT count(*) FROM job WHERE type = 't.shared' AND state = 'succeeded'") == 400);
    assertThat(runs).hasSize(400);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(overlaps.get()).isZero();
  }

  @Test
  void jobOfAKilledWorkerIsReclaimedAfterItsLeaseAndCompletesOnce() {
    JobsModule doomed = jobs.engine(FAST);
    Promise<JsonObject> never = Promise.promise();
    AtomicInteger firstRuns = new AtomicInteger();
    doomed.queue().register(JobType.of("t.crash"), job -> {
      firstRuns.incrementAndGet();
      return never.future();
    });
    long id = JobsSupport.await(doomed.queue().enqueue(NewJob.of("t.crash", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> firstRuns.get() == 1);
    // The worker dies: its verticle goes away without draining, so nobody renews the lease.
    JobsSupport.await(app.app().vertx().undeploy(doomed.deploymentId()));

    AtomicInteger secondRuns = new AtomicInteger();
    jobs.engine(FAST).queue().register(JobType.of("t.crash"), job -> {
      secondRuns.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("by", "survivor").put("attempt", job.attempt()));
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> jobs.state(id).equals("succeeded"));
    // The dead worker's attempt finishing late must not overwrite the survivor's outcome.
    never.complete(new JsonObject().put("by", "zombie"));
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    JsonObject job = jobs.job(id);
    assertThat(job.getJsonObject("result").getString("by")).isEqualTo("survivor");
    assertThat(job.getInteger("attempts")).isEqualTo(2);
    assertThat(secondRuns.get()).isEqualTo(1);
  }

  @Test
  void gracefulStopReleasesUnfinishedJobsWithoutUsingAnAttempt() {
    JobsModule m = jobs.engine(FAST);
    AtomicInteger started = new AtomicInteger();
    m.queue().register(JobType.of("t.release"), job -> {
      started.incrementAndGet();
      return Promise.<JsonObject>promise().future();
    });
    long id = JobsSupport.await(m.queue().enqueue(NewJob.of("t.release", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
    JobsSupport.await(m.stop());
    JsonObject job = jobs.job(id);
    assertThat(job.getString("state")).isEqualTo("queued");
    assertThat(job.getInteger("attempts")).isZero();
    assertThat(job.getString("lockedBy")).isNull();
  }

  @Test
  void releasedJobWakesAnotherNodeWithoutWaitingForItsPoll() {
    JobsModule leaving = jobs.engine(FAST);
    AtomicInteger started = new AtomicInteger();
    leaving.queue().register(JobType.of("t.handoff"), job -> {
      started.incrementAndGet();
      return Promise.<JsonObject>promise().future();
    });
    long id = JobsSupport.await(leaving.queue().enqueue(NewJob.of("t.handoff", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
    JobQueue staying = jobs.engine(new JobsConfig(600_000, 30, 10, 8, 0, 1, 60, 4, 168)).queue();
    staying.register(JobType.of("t.handoff"), job -> Future.succeededFuture(new JsonObject().put("by", "staying")));
    // Let its start-up claim pass: from now on only a NOTIFY (or a 10-minute poll) can make it look again.
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    JobsSupport.await(leaving.stop());
    await().atMost(Duration.ofSeconds(5)).until(() -> jobs.state(id).equals("succeeded"));
    assertThat(jobs.job(id).getJsonObject("result").getString("by")).isEqualTo("staying");
  }

  @Test
  void gracefulStopWaitsForOutcomeWritesThatAreRetrying() {
    // The first two writes of this type's outcomes fail (a sequence counts them: it survives the rollback).
    sql("CREATE SEQUENCE t_outcome_fails");
    sql("""
        CREATE FUNCTION t_outcome_fails() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('t_outcome_fails') <= 2 THEN RAISE EXCEPTION 'outcome store unavailable'; END IF;
          RETURN NEW;
        END $$""");
    sql("""
        CREATE TRIGGER t_outcome_fails BEFORE UPDATE ON job FOR EACH ROW
        WHEN (NEW.type = 't.retrywrite' AND OLD.state = 'running' AND NEW.state <> 'running')
        EXECUTE FUNCTION t_outcome_fails()""");
    JobsModule m = jobs.engine(FAST);
    m.queue().register(JobType.of("t.retrywrite"), job -> Future.succeededFuture(new JsonObject().put("ok", true)));
    long id = JobsSupport.await(m.queue().enqueue(NewJob.of("t.retrywrite", new JsonObject()))).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        jobs.count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM t_outcome_fails") >= 1);
    JobsSupport.await(m.stop()); // drains while the outcome waits for its next try
    assertThat(jobs.state(id)).as("written before the engine's pool closed").isEqualTo("succeeded");
  }

  private static void sql(String sql) {
    JobsSupport.await(app.app().platform().pool().query(sql).execute());
  }

  @Test
  void scheduleEnqueuesOncePerSlotAcrossNodes() {
    for (int node = 0; node < 2; node++) {
      jobs.engine(FAST).queue().schedule("tick", "@every 1s", () -> NewJob.of("t.tick", new JsonObject()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.count("SELECT count(*) FROM job WHERE type = 't.tick'") >= 3);
    assertThat(jobs.count("SELECT count(*) FROM job WHERE type = 't.tick' AND unique_key NOT LIKE 'schedule:tick:%'")).isZero();
    assertThat(jobs.count("SELECT count(*) - count(DISTINCT unique_key) FROM job WHERE type = 't.tick'")).isZero();
  }

  @Test
  void adminApiListsStatsAndExplainsBadInput() {
    JobQueue q = jobs.engine(FAST).queue();
    JobsSupport.await(q.enqueue(NewJob.of("t.stats", new JsonObject())));
    var stats = app.get("/api/v1/jobs/stats", TestApp.ADMIN_TOKEN).json().getJsonArray("queues");
    JsonObject row = stats.stream().map(o -> (JsonObject) o).filter(o -> o.getString("type").equals("t.stats")).findFirst().orElseThrow();
    assertThat(row.getInteger("queued")).isEqualTo(1);
    assertThat(row.fieldNames()).contains("running", "dead", "oldestQueuedSeconds");
    var bad = app.get("/api/v1/jobs?state=paused", TestApp.ADMIN_TOKEN);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("detail")).contains("paused").contains("queued");
    assertThat(app.get("/api/v1/jobs?cursor=abc", TestApp.ADMIN_TOKEN).status()).isEqualTo(400);
    assertThat(app.get("/api/v1/jobs", app.tokenWithRoles("analyst")).status()).isEqualTo(403);
    var page = app.get("/api/v1/jobs?size=1", TestApp.ADMIN_TOKEN).json();
    assertThat(page.getJsonArray("items")).hasSize(1);
    String next = page.getString("next");
    if (next != null) {
      long firstId = page.getJsonArray("items").getJsonObject(0).getLong("id");
      var second = app.get("/api/v1/jobs?size=1&cursor=" + next, TestApp.ADMIN_TOKEN).json();
      assertThat(second.getJsonArray("items").getJsonObject(0).getLong("id")).isLessThan(firstId);
    }
  }
}
