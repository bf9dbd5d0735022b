package pharmaops.erp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Syncs one ERP. Each run gets its own {@link Pass} (cursor, counts, next page), so nothing of one run can
 * leak into another. The first page tells how many pages there are; the rest are fetched by at most
 * {@code concurrency} loops, each of which fetches a page, writes it (one transaction) and only then asks for
 * the next: memory holds at most {@code concurrency} pages of at most {@code maxPageBytes} each, whatever the
 * size of the ERP (back-pressure). Every request goes through the ERP's breaker with a timeout, and is retried
 * with exponential backoff and jitter. The first page that still fails stops this ERP only; the pages already
 * written stay.
 */
final class SourceSync {
  private static final Logger log = LoggerFactory.getLogger(SourceSync.class);
  private final Vertx vertx;
  private final WebClient client;
  private final ErpConfig config;
  private final ErpConfig.Source source;
  private final ErpAdapter adapter;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;
  private final CatalogueUpsert upsert;
  private final MeterRegistry metrics;

  SourceSync(Vertx vertx, WebClient client, ErpConfig config, ErpConfig.Source source, CircuitBreaker breaker,
             RateLimiter limiter, CatalogueUpsert upsert, MeterRegistry metrics) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.source = source;
    this.adapter = ErpAdapter.of(source);
    this.breaker = breaker;
    this.limiter = limiter;
    this.upsert = upsert;
    this.metrics = metrics;
  }

  /** Syncs records changed since {@code since} (null = everything); never fails, the outcome says what happened. */
  Future<Outcome> run(long runId, Instant since) {
    return new Pass(runId, since).run();
  }

  /** The state of one run of this ERP; every callback runs on the sync verticle's context. */
  private final class Pass {
    private final long runId;
    private final Instant since;
    private int nextPage = 1;
    private int totalPages = 1;
    private String error;
    private int fetched;
    private int pages;
    private CatalogueUpsert.Counts counts = CatalogueUpsert.Counts.ZERO;
    private Instant maxUpdatedAt;

    Pass(long runId, Instant since) {
      this.runId = runId;
      this.since = since;
    }

    Future<Outcome> run() {
      Instant started = Instant.now();
      return page(0)
          .compose(v -> {
            List<Future<Void>> loops = new ArrayList<>();
            for (int i = 0; i < source.concurrency(); i++) loops.add(loop());
            return Future.join(loops).mapEmpty();
          })
          .recover(e -> Future.succeededFuture())
          .map(v -> {
            var o = new Outcome(source.name(), error == null ? "succeeded" : "failed", fetched, counts.inserted(),
                counts.updated(), counts.unchanged(), counts.quarantined(), pages, error, started, Instant.now(), maxUpdatedAt);
            log.info("erp synced {} {} {} {} {} {} {} {} {}", kv("source", source.name()), kv("run", runId), kv("state", o.state()),
                kv("fetched", o.fetched()), kv("inserted", o.inserted()), kv("updated", o.updated()),
                kv("unchanged", o.unchanged()), kv("quarantined", o.quarantined()), kv("error", o.error()));
            return o;
          });
    }

    /** Takes the next page until none is left or a page failed. */
    private Future<Void> loop() {
      if (error != null || nextPage >= totalPages) return Future.succeededFuture();
      return page(nextPage++).compose(v -> loop(), e -> Future.succeededFuture());
    }

    private Future<Void> page(int n) {
      return fetch(n, 0, since)
          .compose(page -> {
            if (n == 0) totalPages = page.totalPages();
            List<Product> products = new ArrayList<>(page.records().size());
            List<Rejected> rejected = new ArrayList<>(page.garbage());
            for (ErpRecord r : page.records()) {
              if (r.updatedAt() != null && (maxUpdatedAt == null || r.updatedAt().isAfter(maxUpdatedAt))) maxUpdatedAt = r.updatedAt();
              Records.Checked checked = Records.check(r);
              if (checked instanceof Records.Accepted a) products.add(a.product());
              else if (checked instanceof Records.Refused f) rejected.add(f.rejected());
            }
            int received = page.records().size() + page.garbage().size();
            return upsert.write(source.name(), source.priority(), runId, products, rejected).map(c -> {
              counts = counts.plus(c);
              fetched += received;
              pages++;
              metrics.counter("pharmaops.erp.records", "source", source.name()).increment(received);
              return (Void) null;
            });
          })
          .onFailure(e -> {
            if (error == null) error = "page " + (n + 1) + ": " + describe(e);
          });
    }
  }

  /**
   * One page through the breaker; retried with exponential backoff and full jitter unless the breaker is open
   * or the page is too large (it will not get smaller).
   */
  private Future<ErpAdapter.Page> fetch(int n, int attempt, Instant since) {
    return limiter.acquire().compose(v -> breaker.<ErpAdapter.Page>execute(() -> fetchOnce(n, since))).recover(e -> {
      if (attempt >= config.retries() || e instanceof OpenCircuitException || e instanceof BoundedBody.TooLarge) {
        return Future.failedFuture(e);
      }
      long cap = Math.min(30_000L, (long) config.backoffMs() << Math.min(attempt, 16));
      long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
      log.debug("erp page retry {} {} {} {}", kv("source", source.name()), kv("page", n + 1), kv("attempt", attempt + 1), kv("error", describe(e)));
      Promise<ErpAdapter.Page> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), t -> fetch(n, attempt + 1, since).onComplete(later));
      return later.future();
    });
  }

  private Future<ErpAdapter.Page> fetchOnce(int n, Instant since) {
    var req = adapter.request(client, n, since).timeout(source.timeoutMs());
    source.token().ifPresent(t -> req.putHeader("Authorization", "Bearer " + t));
    source.user().ifPresent(u -> req.putHeader("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((u + ":" + source.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    BoundedBody body = new BoundedBody(source.maxPageBytes());
    return req.as(BodyCodec.pipe(body, false)).send().expecting(HttpResponseExpectation.SC_SUCCESS).compose(resp -> {
      try {
        // The sync verticle is a worker: parsing (StAX, CSV, JSON) never runs on an event loop.
        return Future.succeededFuture(adapter.parse(body.buffer(), resp.headers()));
      } catch (Exception e) {
        return Future.failedFuture(new IllegalStateException("malformed page: " + describe(e), e));
      }
    });
  }

  static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}
