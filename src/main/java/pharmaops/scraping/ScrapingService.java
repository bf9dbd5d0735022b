package pharmaops.scraping;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The scraping capability wired together: sources, runner, distributor; what the module, routes and jobs call.
 * Host and channel rates live in Redis under this deployment's prefix, so every node shares them.
 */
final class ScrapingService {
  private static final Logger log = LoggerFactory.getLogger(ScrapingService.class);
  /** A run stops fetching after this; the job's timeout and the run lease leave room to record it. */
  static final Duration RUN_TIMEOUT = ScrapingModule.SCRAPE.timeout().minusMinutes(1);
  /** How long a due source stays claimed before its scrape job starts (a lost job holds it no longer). */
  static final Duration QUEUE_LEASE = Duration.ofMinutes(1);
  private final HttpClient http;
  private final WebClient client;
  private final Fetcher fetcher;
  private final SourceStore sources;
  private final Distributor distributor;
  private final ScrapeRunner runner;
  private final ItemStore items;
  private final JobQueue jobs;

  ScrapingService(Platform platform, ScrapingConfig cfg, Clock clock, JobQueue jobs) {
    this.jobs = jobs;
    // Redirects are not followed by the client: the fetcher follows them hop by hop through each host's gate.
    this.http = platform.vertx().createHttpClient(new HttpClientOptions()
        .setConnectTimeout(Math.min(cfg.timeoutMs(), 5000)).setKeepAlive(true));
    this.client = WebClient.wrap(http, new WebClientOptions().setUserAgent(cfg.userAgent()).setFollowRedirects(false));
    var redisTimeout = platform.config().redis().timeoutMs();
    // The platform's Redis breaker: when Redis is failing for the cache it is failing for the rates too.
    CircuitBreaker redisBreaker = platform.breakers().get("redis", new CircuitBreakerOptions()
        .setMaxFailures(5).setTimeout(redisTimeout).setResetTimeout(2_000).setFailuresRollingWindow(10_000));
    this.fetcher = new Fetcher(platform.vertx(), http, platform.pool(), platform.breakers(), cfg, platform.metrics(),
        host -> new ClusterRate(platform.vertx(), platform.redisApi(), redisBreaker, redisTimeout,
            platform.redisKey("scraping:rate:host:" + host), 1000, Fetcher.MAX_RETRY_AFTER_MS, platform.metrics()));
    this.sources = new SourceStore(platform.pool());
    List<Channel> channels = new ArrayList<>();
    if (!cfg.wuzapiBaseUrl().isEmpty()) {
      if (cfg.wuzapiToken().isEmpty()) log.warn("scraping.whatsapp.baseUrl is set but its token variable is empty: WhatsApp sends will fail");
      channels.add(new WhatsAppChannel(client, cfg.wuzapiBaseUrl(), cfg.wuzapiToken().orElse(""), cfg.whatsappPerSecond(), cfg.timeoutMs()));
    }
    channels.add(new WebhookChannel(client, cfg.webhookPerSecond(), cfg.timeoutMs()));
    this.distributor = new Distributor(platform.vertx(), platform.pool(), channels, cfg, platform.metrics(),
        c -> new ClusterRate(platform.vertx(), platform.redisApi(), redisBreaker, redisTimeout,
            platform.redisKey("scraping:rate:channel:" + c.type()), c.ratePerSecond(), Long.MAX_VALUE, platform.metrics()));
    this.items = new ItemStore(platform.pool());
    this.runner = new ScrapeRunner(platform.vertx(), platform.pool(), fetcher, new RobotsCache(fetcher, cfg.userAgent()),
        items, distributor, platform.metrics(), client, cfg.alertWebhook(), clock, RUN_TIMEOUT);
  }

  SourceStore sources() {
    return sources;
  }

  ItemStore items() {
    return items;
  }

  Distributor distributor() {
    return distributor;
  }

  /** A manual run: takes the source's run lease first, so it never overlaps a scheduled (or another) run. */
  Future<JsonObject> run(Source source) {
    return run(source, null);
  }

  /**
   * Runs now and completes with the run record. {@code lease} is the token of a scheduled claim (null for a
   * manual run); a run whose lease is held by another run, or was lost, does not start.
   */
  Future<JsonObject> run(Source source, UUID lease) {
    UUID token = lease == null ? UUID.randomUUID() : lease;
    long leaseMs = ScrapingModule.SCRAPE.timeout().toMillis();
    return sources.claimRun(source.id(), token, leaseMs).compose(held -> {
      if (!held) {
        return Future.succeededFuture(new JsonObject().put("sourceId", source.id())
            .put("status", lease == null ? "already-running" : "lease-lost"));
      }
      return runner.run(source).compose(j -> sources.releaseRun(source.id(), token).map(j));
    });
  }

  /** A scrape as a job (any node's worker may run it); the id of the job. */
  Future<Long> enqueue(long sourceId, String owner) {
    return jobs.enqueue(NewJob.of(ScrapingModule.SCRAPE.name(), new JsonObject().put("sourceId", sourceId)).owner(owner).priority(10))
        .map(id -> id.orElse(null));
  }

  Future<Integer> sweep() {
    return distributor.sweep();
  }

  String breakerState(String url) {
    return fetcher.breaker(SourceSpec.hostOf(url)).state().name();
  }

  void close() {
    client.close();
    http.close();
  }
}
