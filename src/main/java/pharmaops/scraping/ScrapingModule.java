package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The scraping capability on the job engine. A schedule ({@code scraping.due}, every tick) claims the sources
 * whose slot is due (the {@code UPDATE ... WHERE next_run_at <= now()} guard gives each slot of each source to
 * one node) and enqueues one {@code scraping.scrape} job per source, so scrapes spread over the nodes' workers.
 * The claim leases the source briefly; the job renews the lease for the length of a run with the claim's
 * token, and a manual scrape takes the same lease, so two runs of one source never overlap.
 * A second schedule ({@code scraping.deliveries}) retries failed deliveries. New items are delivered by the
 * scrape itself, at once; the schedules only add retries.
 */
public final class ScrapingModule implements Module {
  static final JobType SCRAPE = JobType.of("scraping.scrape").maxAttempts(1).timeout(Duration.ofMinutes(5)).concurrency(8);
  static final JobType DUE = JobType.of("scraping.due").maxAttempts(1).timeout(Duration.ofSeconds(30)).concurrency(1);
  static final JobType DELIVER = JobType.of("scraping.deliveries").maxAttempts(1).timeout(Duration.ofMinutes(10)).concurrency(1);
  private static final Logger log = LoggerFactory.getLogger(ScrapingModule.class);
  private final Platform platform;
  private final JobQueue jobs;
  private final ScrapingConfig cfg;
  private ScrapingService service;

  public ScrapingModule(Platform platform, JobQueue jobs) {
    this.platform = platform;
    this.jobs = jobs;
    this.cfg = ScrapingConfig.from(platform.config());
  }

  @Override
  public String name() {
    return "scraping";
  }

  @Override
  public Future<?> start() {
    service = new ScrapingService(platform, cfg, Clock.systemUTC(), jobs);
    jobs.register(SCRAPE, job -> service.sources().get(job.payload().getLong("sourceId")).compose(source -> source.isEmpty()
        ? Future.succeededFuture(new JsonObject().put("status", "source deleted"))
        : service.run(source.get(), lease(job.payload()))));
    jobs.register(DUE, job -> service.sources().claimDue(ScrapingService.QUEUE_LEASE.toMillis()).compose(due -> {
      List<Future<?>> enqueued = new ArrayList<>();
      for (SourceStore.Claim c : due) {
        enqueued.add(jobs.enqueue(NewJob.of(SCRAPE.name(), new JsonObject().put("sourceId", c.source().id())
                .put("lease", c.lease().toString()))
            .uniqueKey("scrape:" + c.source().id() + ":" + System.currentTimeMillis())));
      }
      return Future.all(enqueued).map(v -> new JsonObject().put("sources", due.size()));
    }));
    jobs.register(DELIVER, job -> service.sweep().map(n -> new JsonObject().put("attempted", n)));
    return service.sources().syncConfigured(cfg.sources()).onSuccess(v -> {
      if (!cfg.enabled()) {
        log.info("scraping schedules disabled (scraping.enabled=false); the API and manual scrapes still work");
        return;
      }
      jobs.schedule("scraping.due", "@every " + cfg.tickSeconds() + "s", () -> NewJob.of(DUE.name(), new JsonObject()));
      jobs.schedule("scraping.deliveries", "@every " + cfg.deliveryRetrySeconds() + "s",
          () -> NewJob.of(DELIVER.name(), new JsonObject()));
    });
  }

  /** The scheduled claim's lease token; a manual scrape's job has none. */
  private static UUID lease(JsonObject payload) {
    String l = payload.getString("lease");
    return l == null ? null : UUID.fromString(l);
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new ScrapingRoutes(service).mount(api, root, auth);
  }

  /**
   * Nothing to stop here: schedules and scrape jobs belong to the job engine, which stops after this module and
   * drains running scrapes, so the HTTP client stays open for them and closes with Vert.x.
   */
  @Override
  public Future<?> stop() {
    return Future.succeededFuture();
  }
}
