package pharmaops.scraping;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.Breakers;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Polite HTTP GETs for scrapers: a gate per host (rate shared by all nodes, concurrency), conditional GET with
 * the validators kept in PostgreSQL (shared by nodes), a timeout per attempt, a cap on the bytes read, retries
 * with exponential backoff and jitter on timeouts, resets, 429 and 5xx, and one circuit breaker per host.
 * A Retry-After pauses the whole host on every node for its full length (up to 10 min); this run waits for it
 * only up to 30 s and otherwise gives up, and later runs fail fast until the pause is over. Redirects are
 * followed here, hop by hop, so each hop passes its own host's gate and robots.txt.
 */
final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
  static final long MAX_RETRY_AFTER_MS = 30_000;
  static final long MAX_PAUSE_MS = 600_000;
  static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private final HttpClient http;
  private final Pool pool;
  private final Breakers breakers;
  private final ScrapingConfig cfg;
  private final MeterRegistry metrics;
  private final Function<String, ClusterRate> rates;
  private final Vertx vertx;
  private final Map<String, HostGate> gates = new ConcurrentHashMap<>();

  /** @param rates the shared rate of a host, by host */
  Fetcher(Vertx vertx, HttpClient http, Pool pool, Breakers breakers, ScrapingConfig cfg, MeterRegistry metrics,
          Function<String, ClusterRate> rates) {
    this.vertx = vertx;
    this.http = http;
    this.pool = pool;
    this.breakers = breakers;
    this.cfg = cfg;
    this.metrics = metrics;
    this.rates = rates;
  }

  /** The host's gate; a stricter rate or concurrency configured by another source on the same host wins. */
  HostGate gate(String host, SourceSpec s) {
    HostGate g = gates.computeIfAbsent(host, h -> new HostGate(rates.apply(h), s.maxConcurrency()));
    g.limitTo(s.ratePerSecond(), s.maxConcurrency());
    return g;
  }

  CircuitBreaker breaker(String host) {
    return breakers.get("scrape:" + host, new CircuitBreakerOptions()
        .setMaxFailures(5).setTimeout(-1).setResetTimeout(30_000).setFailuresRollingWindow(60_000));
  }

  /**
   * GET following up to {@link #MAX_REDIRECTS} redirects; a hop is fetched only if {@code allowed} says so
   * (robots.txt of its host), else the fetch fails with {@link FetchException#BLOCKED}. {@code conditional}
   * sends the validators stored for {@code url}. The caller stores the new ones with {@link #remember} only
   * once the page's items are safely recorded, or a crash in between would turn the next fetch into a 304
   * and lose them.
   */
  Future<Page> get(Source source, String url, boolean conditional, Function<String, Future<Boolean>> allowed) {
    Future<String[]> validators = conditional && cfg.conditionalGet()
        ? pool.preparedQuery(ScrapingSql.PAGE_GET).execute(Tuple.of(source.id(), url))
            .map(rs -> rs.size() == 0 ? null : validators(rs.iterator().next()))
        : Future.succeededFuture(null);
    return validators.compose(v -> hop(source.spec(), url, url, v, allowed, 0, 0));
  }

  private Future<Page> hop(SourceSpec source, String first, String url, String[] validators,
                           Function<String, Future<Boolean>> allowed, int hops, long bytes) {
    return attempt(source, url, validators, 0).compose(p -> {
      if (!REDIRECTS.contains(p.status()) || p.location() == null) {
        return Future.succeededFuture(new Page(first, url, p.status(), p.body(), p.contentType(), bytes + p.bytes(),
            p.notModified(), p.etag(), p.lastModified(), null));
      }
      if (hops >= MAX_REDIRECTS) {
        return Future.failedFuture(new FetchException("more than " + MAX_REDIRECTS + " redirects from " + first, p.status(), 0, false));
      }
      String next;
      try {
        next = URI.create(url).resolve(p.location().trim()).toString();
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new FetchException("unreadable redirect Location '" + Extract.clip(p.location(), 200) + "' from " + url, p.status(), 0, false));
      }
      if (!next.startsWith("http://") && !next.startsWith("https://")) {
        return Future.failedFuture(new FetchException("redirect from " + url + " to a non-http URL " + Extract.clip(next, 200), p.status(), 0, false));
      }
      return allowed.apply(next).compose(ok -> ok
          ? hop(source, first, next, validators, allowed, hops + 1, bytes + p.bytes())
          : Future.failedFuture(new FetchException("robots.txt disallows " + next + " (redirected from " + url + ")", FetchException.BLOCKED, 0, false)));
    });
  }

  private Future<Page> attempt(SourceSpec source, String url, String[] validators, int attempt) {
    String host = SourceSpec.hostOf(url);
    HostGate gate = gate(host, source);
    CircuitBreaker breaker = breaker(host);
    // The breaker sits inside the gate: a host's own pause is not a failure of the host.
    Future<Page> once = gate.run(() -> breaker.execute(() -> send(url, validators)));
    return once.recover(err -> {
      FetchException fe = classify(err, host);
      metrics.counter("pharmaops.scraping.fetch.failures", "host", host, "status", String.valueOf(fe.status)).increment();
      if (fe.retryAfterMs > 0 && !(err instanceof ClusterRate.PausedException)) gate.pauseFor(Math.min(fe.retryAfterMs, MAX_PAUSE_MS));
      if (!fe.retryable || attempt >= cfg.maxRetries() || fe.retryAfterMs > MAX_RETRY_AFTER_MS) return Future.failedFuture(fe);
      long backoff = fe.retryAfterMs > 0 ? 0 // the gate holds the request until the pause is over
          : cfg.retryBaseMs() * (1L << attempt) + ThreadLocalRandom.current().nextLong(cfg.retryBaseMs() / 2 + 1);
      log.info("fetch retry {} {} {} {}", kv("url", url), kv("attempt", attempt + 1), kv("delayMs", Math.max(backoff, fe.retryAfterMs)),
          kv("error", fe.getMessage()));
      Promise<Void> wait = Promise.promise();
      vertx.setTimer(Math.max(1, backoff), t -> wait.complete());
      return wait.future().compose(x -> attempt(source, url, validators, attempt + 1));
    });
  }

  private Future<Page> send(String url, String[] validators) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(cfg.timeoutMs())
        .setFollowRedirects(false).putHeader("User-Agent", cfg.userAgent())
        .putHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
    if (validators != null && validators[0] != null) o.putHeader("If-None-Match", validators[0]);
    if (validators != null && validators[1] != null) o.putHeader("If-Modified-Since", validators[1]);
    return http.request(o).compose(req -> req.send().compose(resp -> capped(req, resp, url).compose(body -> {
      long bytes = 17 + body.length();
      for (var h : resp.headers()) bytes += h.getKey().length() + h.getValue().length() + 4;
      metrics.counter("pharmaops.scraping.fetch.bytes").increment(bytes);
      int status = resp.statusCode();
      if (status == 429 || status >= 500) {
        return Future.failedFuture(new FetchException("HTTP " + status + " from " + url, status, retryAfter(resp.headers()), true));
      }
      return Future.succeededFuture(new Page(url, url, status, body, resp.getHeader("Content-Type"), bytes, status == 304,
          resp.getHeader("ETag"), resp.getHeader("Last-Modified"), resp.getHeader("Location")));
    })));
  }

  /** The body, but never more than maxPageBytes of it in memory: a bigger one resets the connection. */
  private Future<Buffer> capped(HttpClientRequest req, HttpClientResponse resp, String url) {
    long max = cfg.maxPageBytes();
    FetchException tooBig = new FetchException("page " + url + " is larger than " + max + " bytes (scraping.maxPageBytes); not read",
        resp.statusCode(), 0, false);
    String length = resp.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > max) {
      req.reset();
      return Future.failedFuture(tooBig);
    }
    Promise<Buffer> p = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (p.future().isComplete()) return;
      if (body.length() + chunk.length() > max) {
        p.tryFail(tooBig);
        req.reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.exceptionHandler(p::tryFail);
    resp.endHandler(v -> p.tryComplete(body));
    return p.future();
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

  private static FetchException classify(Throwable err, String host) {
    if (err instanceof FetchException fe) return fe;
    if (err instanceof ClusterRate.PausedException pe) {
      return new FetchException(host + " asked us to wait (Retry-After) another " + (pe.remainingMs + 999) / 1000 + " s; not fetched",
          429, pe.remainingMs, false);
    }
    String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    if (err instanceof OpenCircuitException) return new FetchException("circuit breaker open for this host", 0, 0, false);
    boolean timeout = err instanceof TimeoutException || msg.toLowerCase().contains("timeout");
    return new FetchException((timeout ? "timeout: " : "connection failed: ") + msg, 0, 0, true);
  }

  /** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
  static long retryAfter(MultiMap headers) {
    String v = headers.get("Retry-After");
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
