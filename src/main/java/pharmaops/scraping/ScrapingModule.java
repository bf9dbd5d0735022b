package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;

import java.time.Clock;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The scraping capability. Schedules run on Vert.x timers with a database guard: every node ticks, and the
 * {@code UPDATE ... WHERE next_run_at <= now()} claim gives each slot of each source to exactly one node.
 * A second timer retries deliveries that failed.
 */
public final class ScrapingModule implements Module {
  private static final Logger log = LoggerFactory.getLogger(ScrapingModule.class);
  private final Platform platform;
  private final ScrapingConfig cfg;
  private ScrapingService service;
  private long tickTimer = -1;
  private long sweepTimer = -1;

  public ScrapingModule(Platform platform) {
    this.platform = platform;
    this.cfg = ScrapingConfig.from(platform.config());
  }

  @Override
  public String name() {
    return "scraping";
  }

  @Override
  public Future<?> start() {
    service = new ScrapingService(platform, cfg, Clock.systemUTC());
    return service.sources().syncConfigured(cfg.sources()).onSuccess(v -> {
      if (!cfg.enabled()) {
        log.info("scraping schedules disabled (scraping.enabled=false); API and manual scrapes still work");
        return;
      }
      var vertx = platform.vertx();
      tickTimer = vertx.setPeriodic(cfg.tickMs(), id -> service.tick()
          .onFailure(e -> log.warn("scraping tick failed {}", kv("error", e.toString()))));
      sweepTimer = vertx.setPeriodic(cfg.deliveryRetrySeconds() * 1000L, id -> service.sweep()
          .onFailure(e -> log.warn("delivery sweep failed {}", kv("error", e.toString()))));
    });
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new ScrapingRoutes(service).mount(api, root, auth);
  }

  @Override
  public Future<?> stop() {
    platform.vertx().cancelTimer(tickTimer);
    platform.vertx().cancelTimer(sweepTimer);
    if (service != null) service.close();
    return Future.succeededFuture();
  }
}
