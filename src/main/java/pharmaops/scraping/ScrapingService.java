package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** The scraping capability wired together: sources, runner, distributor; what the module, routes and jobs call. */
final class ScrapingService {
  private static final Logger log = LoggerFactory.getLogger(ScrapingService.class);
  private final Platform platform;
  private final WebClient client;
  private final Fetcher fetcher;
  private final SourceStore sources;
  private final Distributor distributor;
  private final ScrapeRunner runner;
  private final ItemStore items;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final JobQueue jobs;

  ScrapingService(Platform platform, ScrapingConfig cfg, Clock clock, JobQueue jobs) {
    this.platform = platform;
    this.jobs = jobs;
    this.client = WebClient.create(platform.vertx(), new WebClientOptions().setUserAgent(cfg.userAgent())
        .setConnectTimeout(Math.min(cfg.timeoutMs(), 5000)).setKeepAlive(true)
        .setFollowRedirects(true));
    this.fetcher = new Fetcher(platform.vertx(), client, platform.pool(), platform.breakers(), cfg, platform.metrics());
    this.sources = new SourceStore(platform.pool());
    List<Channel> channels = new ArrayList<>();
    if (!cfg.wuzapiBaseUrl().isEmpty()) {
      if (cfg.wuzapiToken().isEmpty()) log.warn("scraping.whatsapp.baseUrl is set but its token variable is empty: WhatsApp sends will fail");
      channels.add(new WhatsAppChannel(client, cfg.wuzapiBaseUrl(), cfg.wuzapiToken().orElse(""), cfg.whatsappPerSecond(), cfg.timeoutMs()));
    }
    channels.add(new WebhookChannel(client, cfg.webhookPerSecond(), cfg.timeoutMs()));
    this.distributor = new Distributor(platform.vertx(), platform.pool(), channels, cfg, platform.metrics());
    this.items = new ItemStore(platform.pool());
    this.runner = new ScrapeRunner(platform.vertx(), platform.pool(), fetcher, new RobotsCache(fetcher, cfg.userAgent()),
        items, distributor, platform.metrics(), client, cfg.alertWebhook(), clock);
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

  /** Runs now and completes with the run record; a source already running on this node is not started twice. */
  Future<JsonObject> run(Source source) {
    if (!running.add(source.id())) return Future.succeededFuture(new JsonObject().put("sourceId", source.id()).put("status", "already-running"));
    return runner.run(source).andThen(ar -> running.remove(source.id()));
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
    URI u = URI.create(url);
    return fetcher.breaker(u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")).state().name();
  }

  void close() {
    client.close();
  }
}
