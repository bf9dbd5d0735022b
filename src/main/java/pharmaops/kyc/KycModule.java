package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.JobType;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * KYC reminders on the job engine: the {@code kyc.run} fan-out (scheduled by cron, one run per slot cluster-wide, or
 * triggered over HTTP) and one {@code kyc.remind} job per customer, each retried on its own.
 */
public final class KycModule implements Module {
  static final String RUN = "kyc.run";
  static final String REMIND = "kyc.remind";
  static final int RUN_ATTEMPTS = 3;
  private static final Logger log = LoggerFactory.getLogger(KycModule.class);

  private final JobQueue queue;
  private final KycConfig cfg;
  private final Notifier notifier;
  private final Pool ledgerPool;
  private final Reminders reminders;
  private final FanOut fanOut;
  private final KycRuns runs;
  private final KycReviews reviews;

  public KycModule(Platform platform, JobQueue queue) {
    this.queue = queue;
    this.cfg = KycConfig.from(platform.config());
    Clock clock = Clock.systemUTC();
    KycMetrics metrics = new KycMetrics(platform.metrics());
    this.notifier = cfg.channel().equals("webhook")
        ? new WebhookNotifier(platform.vertx(), cfg.webhook(), cfg.concurrency())
        : new SmtpNotifier(platform.vertx(), cfg.smtp());
    long sendTimeoutMs = cfg.channel().equals("webhook") ? cfg.webhook().timeoutMs() : cfg.smtp().timeoutMs();
    // The ledger statements are planned for every execution, as the job engine's are (see LedgerBatches).
    this.ledgerPool = platform.ownPool("pharmaops-kyc-ledger", LedgerBatches.CONNECTIONS, Map.of());
    this.reminders = new Reminders(platform.pool(), new LedgerBatches(platform.vertx(), ledgerPool, notifier.channel()),
        notifier, metrics, Duration.ofMillis(2 * sendTimeoutMs));
    this.fanOut = new FanOut(platform.pool(), queue, cfg, new CustomerSelection(platform.pool(), metrics.page), metrics, clock);
    this.runs = new KycRuns(platform.pool(), queue, cfg, clock);
    this.reviews = new KycReviews(platform.pool(), queue);
  }

  @Override
  public String name() {
    return "kyc";
  }

  @Override
  public Future<?> start() {
    queue.register(JobType.of(RUN).maxAttempts(RUN_ATTEMPTS).timeout(Duration.ofMinutes(30)).concurrency(1), fanOut);
    queue.register(JobType.of(REMIND).maxAttempts(cfg.maxAttempts()).timeout(Duration.ofMillis(Math.max(30_000,
            2L * Math.max(cfg.smtp().timeoutMs(), cfg.webhook().timeoutMs()))))
            .concurrency(cfg.concurrency()).backoffBase(Duration.ofMillis(cfg.retryBaseMs())),
        // A failure is retried by the engine and, once dead, counted failed by the run view: nothing to do here.
        job -> {
          JsonObject p = job.payload();
          return reminders.check(p.getLong("customerId"), p.getString("period"), p.getLong("runId"))
              .map(o -> new JsonObject().put("outcome", o.wire()));
        });
    if (!cfg.schedule().isEmpty()) {
      queue.schedule(RUN, cfg.schedule(), () -> NewJob.of(RUN, new JsonObject().put("trigger", "schedule")));
    }
    log.info("kyc ready {} {} {} {}", kv("schedule", cfg.schedule()), kv("channel", cfg.channel()),
        kv("dueWithinDays", cfg.dueWithinDays()), kv("period", cfg.period()));
    return Future.succeededFuture();
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new KycRoutes(runs, reviews).mount(api, root, auth);
  }

  @Override
  public Future<?> stop() {
    return notifier.close().eventually(ledgerPool::close);
  }
}
