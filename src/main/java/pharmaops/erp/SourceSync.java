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
 * leak into another. The first page tells how many pages there are; the rest are fetched by
 * {@code concurrency} lanes, each of which writes a page (one transaction) while fetching the next, and asks
 * for a third only when that write is done: memory holds at most {@code 2 × concurrency} pages of at most
 * {@code maxPageBytes} each, whatever the size of the ERP (back-pressure). Every request goes through the
 * ERP's breaker with a timeout, and is retried with exponential backoff and jitter. The first page that still fails stops this ERP only; the pages already
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
      return fetchPage(0)
          .compose(first -> {
            totalPages = first.totalPages();
            List<Future<Void>> lanes = new ArrayList<>();
            lanes.add(lane(0, Future.succeededFuture(first)));
            for (int i = 1; i < source.concurrency() && nextPage < totalPages; i++) {
              int n = nextPage++;
              lanes.add(lane(n, fetchPage(n)));
            }
            return Future.join(lanes).mapEmpty();
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

    /**
     * One of the {@code concurrency} lanes: writes the page it holds while the next one is already being fetched,
     * so the ERP's latency hides behind our writes instead of adding to them; a lane holds at most two pages.
     * Stops at the last page or at the first failure (of any lane).
     */
    private Future<Void> lane(int n, Future<Batch> fetching) {
      return fetching.compose(batch -> {
        int next = error == null && nextPage < totalPages ? nextPage++ : -1;
        Future<Batch> ahead = next < 0 ? null : fetchPage(next);
        return write(n, batch).compose(v -> ahead == null ? Future.succeededFuture() : lane(next, ahead));
      });
    }

    private Future<Batch> fetchPage(int n) {
      return fetch(n, 0, since).onFailure(e -> failed(n, e));
    }

    private Future<Void> write(int n, Batch batch) {
      if (batch.maxUpdatedAt() != null && (maxUpdatedAt == null || batch.maxUpdatedAt().isAfter(maxUpdatedAt))) {
        maxUpdatedAt = batch.maxUpdatedAt();
      }
      return upsert.write(source.name(), source.priority(), runId, batch.products(), batch.rejected()).<Void>map(c -> {
        counts = counts.plus(c);
        fetched += batch.received();
        pages++;
        metrics.counter("pharmaops.erp.records", "source", source.name()).increment(batch.received());
        return null;
      }).onFailure(e -> failed(n, e));
    }

    private void failed(int n, Throwable e) {
      if (error == null) error = "page " + (n + 1) + ": " + describe(e);
    }
  }

  /**
   * A page parsed and checked: the records to write, those to quarantine, and the ERP's newest change time.
   *
   * @param received records the page held, accepted or not
   */
  record Batch(List<Product> products, List<Rejected> rejected, int received, Instant maxUpdatedAt, int totalPages) {

    static Batch of(ErpAdapter.Page page) {
      List<Product> products = new ArrayList<>(page.records().size());
      List<Rejected> rejected = new ArrayList<>(page.garbage());
      Instant newest = null;
      for (ErpRecord r : page.records()) {
        if (r.updatedAt() != null && (newest == null || r.updatedAt().isAfter(newest))) newest = r.updatedAt();
        Records.Checked checked = Records.check(r);
        if (checked instanceof Records.Accepted a) products.add(a.product());
        else if (checked instanceof Records.Refused f) rejected.add(f.rejected());
      }
      return new Batch(products, rejected, page.records().size() + page.garbage().size(), newest, page.totalPages());
    }
  }

  /**
   * One page through the breaker; retried with exponential backoff and full jitter unless the breaker is open
   * or the page is too large (it will not get smaller).
   */
  private Future<Batch> fetch(int n, int attempt, Instant since) {
    return limiter.acquire().compose(v -> breaker.<Batch>execute(() -> fetchOnce(n, since))).recover(e -> {
      if (attempt >= config.retries() || e instanceof OpenCircuitException || e instanceof BoundedBody.TooLarge) {
        return Future.failedFuture(e);
      }
      long cap = Math.min(30_000L, (long) config.backoffMs() << Math.min(attempt, 16));
      long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
      log.debug("erp page retry {} {} {} {}", kv("source", source.name()), kv("page", n + 1), kv("attempt", attempt + 1), kv("error", describe(e)));
      Promise<Batch> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), t -> fetch(n, attempt + 1, since).onComplete(later));
      return later.future();
    });
  }

  private Future<Batch> fetchOnce(int n, Instant since) {
    var req = adapter.request(client, n, since).timeout(source.timeoutMs());
    source.token().ifPresent(t -> req.putHeader("Authorization", "Bearer " + t));
    source.user().ifPresent(u -> req.putHeader("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((u + ":" + source.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    BoundedBody body = new BoundedBody(source.maxPageBytes());
    // Parsing (StAX, CSV, JSON) and record checks run on the verticle's own small worker pool, never on the event
    // loop; everything else (requests, transactions) stays on the event loop, without a thread hop per callback.
    return req.as(BodyCodec.pipe(body, false)).send().expecting(HttpResponseExpectation.SC_SUCCESS)
        .compose(resp -> vertx.executeBlocking(() -> {
          ErpAdapter.Page page;
          try {
            page = adapter.parse(body.buffer(), resp.headers());
          } catch (Exception e) {
            throw new IllegalStateException("malformed page: " + describe(e), e);
          }
          return Batch.of(page);
        }, false));
  }

  static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}
