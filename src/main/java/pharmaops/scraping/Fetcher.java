package pharmaops.scraping;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.Breakers;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Polite HTTP GETs for scrapers: per-host gate (rate and concurrency), conditional GET with the validators
 * kept in PostgreSQL (shared by nodes), a timeout per attempt, retries with exponential backoff and jitter on
 * timeouts, resets, 429 and 5xx (a Retry-After pauses the whole host), and one circuit breaker per host.
 */
final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
  private static final long MAX_RETRY_AFTER_MS = 30_000;
  private final Vertx vertx;
  private final WebClient client;
  private final Pool pool;
  private final Breakers breakers;
  private final ScrapingConfig cfg;
  private final MeterRegistry metrics;
  private final Map<String, HostGate> gates = new ConcurrentHashMap<>();

  Fetcher(Vertx vertx, WebClient client, Pool pool, Breakers breakers, ScrapingConfig cfg, MeterRegistry metrics) {
    this.vertx = vertx;
    this.client = client;
    this.pool = pool;
    this.breakers = breakers;
    this.cfg = cfg;
    this.metrics = metrics;
  }

  /** The host's gate; a stricter rate configured by another source on the same host wins. */
  HostGate gate(SourceSpec s) {
    HostGate g = gates.computeIfAbsent(s.host(), h -> new HostGate(vertx, s.ratePerSecond(), s.maxConcurrency()));
    g.bucket().limitTo(s.ratePerSecond());
    return g;
  }

  CircuitBreaker breaker(String host) {
    return breakers.get("scrape:" + host, new CircuitBreakerOptions()
        .setMaxFailures(5).setTimeout(-1).setResetTimeout(30_000).setFailuresRollingWindow(60_000));
  }

  /**
   * GET with retries; {@code conditional} sends the validators stored for the URL. The caller stores the new
   * ones with {@link #remember} only once the page's items are safely recorded, or a crash in between would
   * turn the next fetch into a 304 and lose them.
   */
  Future<Page> get(Source source, String url, boolean conditional) {
    Future<String[]> validators = conditional && cfg.conditionalGet()
        ? pool.preparedQuery(ScrapingSql.PAGE_GET).execute(Tuple.of(source.id(), url))
            .map(rs -> rs.size() == 0 ? null : validators(rs.iterator().next()))
        : Future.succeededFuture(null);
    return validators.compose(v -> attempt(source.spec(), url, v, 0));
  }

  private Future<Page> attempt(SourceSpec source, String url, String[] validators, int attempt) {
    HostGate gate = gate(source);
    CircuitBreaker breaker = breaker(source.host());
    Future<Page> once = breaker.execute(() -> gate.run(() -> send(url, validators)));
    return once.recover(err -> {
      FetchException fe = classify(err);
      metrics.counter("pharmaops.scraping.fetch.failures", "host", source.host(), "status", String.valueOf(fe.status)).increment();
      if (fe.retryAfterMs > 0) gate.pauseFor(Math.min(fe.retryAfterMs, MAX_RETRY_AFTER_MS));
      if (!fe.retryable || attempt >= cfg.maxRetries() || fe.retryAfterMs > MAX_RETRY_AFTER_MS) return Future.failedFuture(fe);
      long backoff = fe.retryAfterMs > 0 ? fe.retryAfterMs
          : cfg.retryBaseMs() * (1L << attempt) + ThreadLocalRandom.current().nextLong(cfg.retryBaseMs() / 2 + 1);
      log.info("fetch retry {} {} {} {}", kv("url", url), kv("attempt", attempt + 1), kv("delayMs", backoff), kv("error", fe.getMessage()));
      Promise<Void> wait = Promise.promise();
      vertx.setTimer(Math.max(1, backoff), t -> wait.complete());
      return wait.future().compose(x -> attempt(source, url, validators, attempt + 1));
    });
  }

  private Future<Page> send(String url, String[] validators) {
    var req = client.getAbs(url).timeout(cfg.timeoutMs()).putHeader("User-Agent", cfg.userAgent())
        .putHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
    if (validators != null && validators[0] != null) req.putHeader("If-None-Match", validators[0]);
    if (validators != null && validators[1] != null) req.putHeader("If-Modified-Since", validators[1]);
    return req.send().compose(resp -> {
      long bytes = 17 + (resp.body() == null ? 0 : resp.body().length());
      for (var h : resp.headers()) bytes += h.getKey().length() + h.getValue().length() + 4;
      metrics.counter("pharmaops.scraping.fetch.bytes").increment(bytes);
      int status = resp.statusCode();
      if (status == 429 || status >= 500) {
        return Future.failedFuture(new FetchException("HTTP " + status + " from " + url, status, retryAfter(resp), true));
      }
      return Future.succeededFuture(new Page(url, status, resp.body() == null ? Buffer.buffer() : resp.body(),
          resp.getHeader("Content-Type"), bytes, status == 304, resp.getHeader("ETag"), resp.getHeader("Last-Modified")));
    });
  }

  Future<Void> remember(long sourceId, Page page) {
    if (!cfg.conditionalGet() || page.status() != 200 || (page.etag() == null && page.lastModified() == null)) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(ScrapingSql.PAGE_PUT).execute(Tuple.of(sourceId, page.url(), page.etag(), page.lastModified())).mapEmpty();
  }

  private static String[] validators(Row r) {
    return new String[] {r.getString("etag"), r.getString("last_modified")};
  }

  private static FetchException classify(Throwable err) {
    if (err instanceof FetchException fe) return fe;
    String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    if (err instanceof OpenCircuitException) return new FetchException("circuit breaker open for this host", 0, 0, false);
    boolean timeout = err instanceof TimeoutException || msg.toLowerCase().contains("timeout");
    return new FetchException((timeout ? "timeout: " : "connection failed: ") + msg, 0, 0, true);
  }

  /** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
  static long retryAfter(HttpResponse<?> resp) {
    String v = resp.getHeader("Retry-After");
    if (v == null || v.isBlank()) return 0;
    try {
      return Math.max(0, Long.parseLong(v.trim()) * 1000);
    } catch (NumberFormatException e) {
      try {
        return Math.max(0, Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
      } catch (RuntimeException ignored) {
        return 0;
      }
    }
  }
}
