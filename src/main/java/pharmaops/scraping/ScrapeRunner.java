package pharmaops.scraping;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One scrape of one source: robots.txt, the first page with a conditional GET (a 304 ends the run without
 * parsing), parsing on a worker thread, pagination up to maxPages, history, immediate delivery of new items,
 * the run record and the "stopped returning items" alert. A run never throws: failures become its status.
 * The caller holds the source's run lease ({@link ScrapingService#run}).
 */
final class ScrapeRunner {
  private static final Logger log = LoggerFactory.getLogger(ScrapeRunner.class);
  private final Vertx vertx;
  private final Pool pool;
  private final Fetcher fetcher;
  private final RobotsCache robots;
  private final ItemStore items;
  private final Distributor distributor;
  private final MeterRegistry metrics;
  private final WebClient client;
  private final String alertWebhook;
  private final Clock clock;
  private final Duration runTimeout;

  ScrapeRunner(Vertx vertx, Pool pool, Fetcher fetcher, RobotsCache robots, ItemStore items, Distributor distributor,
               MeterRegistry metrics, WebClient client, String alertWebhook, Clock clock, Duration runTimeout) {
    this.vertx = vertx;
    this.pool = pool;
    this.fetcher = fetcher;
    this.robots = robots;
    this.items = items;
    this.distributor = distributor;
    this.metrics = metrics;
    this.client = client;
    this.alertWebhook = alertWebhook;
    this.clock = clock;
    this.runTimeout = runTimeout;
  }

  /** Mutable state of one run (confined to the run's chain). */
  private static final class Run {
    final Instant started = Instant.now();
    final List<ScrapedItem> found = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<Page> pages = new ArrayList<>();
    final Set<String> visited = new HashSet<>();
    long bytes;
    volatile boolean timedOut;
    String status = "ok";
    String error;
    int created;
    int edited;
  }

  /**
   * Runs the source and returns the run record as JSON. Fetching and parsing stop at the run timeout (the
   * source's run lease outlives it, so no second run can start while this one still fetches).
   */
  Future<JsonObject> run(Source source) {
    Run run = new Run();
    Scraper scraper = ScraperFactory.create(source.spec().kind(), source.spec().options());
    return page(source, scraper, run, source.spec().url(), true)
        .timeout(runTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(err -> {
          if (!(err instanceof TimeoutException)) return Future.failedFuture(err);
          run.timedOut = true; // the page chain still going fetches nothing more
          return Future.failedFuture(new FetchException("run timed out after " + runTimeout.toSeconds() + " s (nothing recorded)", 0, 0, false));
        })
        .compose(v -> record(source, run))
        .recover(err -> {
          run.status = "failed";
          run.error = err.getMessage() == null ? err.toString() : err.getMessage();
          return Future.succeededFuture();
        })
        .compose(v -> save(source, run))
        .onSuccess(j -> log.info("scrape finished {} {} {} {} {} {}", kv("source", source.spec().name()), kv("status", run.status),
            kv("items", run.found.size()), kv("new", run.created), kv("itemErrors", run.errors.size()), kv("error", run.error)));
  }

  private Future<Void> page(Source source, Scraper scraper, Run run, String url, boolean first) {
    if (run.timedOut) return Future.succeededFuture();
    run.visited.add(url);
    return robots.allows(source, url).compose(allowed -> {
      if (!allowed) return blocked(run, url, first, "robots.txt disallows " + url + " (or could not be read)");
      return fetcher.get(source, url, true, hop -> robots.allows(source, hop)).recover(err -> {
        if (!(err instanceof FetchException fe)) return Future.failedFuture(err);
        if (fe.status == FetchException.BLOCKED) return blocked(run, url, first, fe.getMessage()).map((Page) null);
        if (first) return Future.failedFuture(fe);
        // A later page that cannot be read (too big, failing) costs its own items only, with the reason.
        run.errors.add("page " + url + ": " + fe.getMessage());
        return Future.succeededFuture(null);
      }).compose(p -> p == null ? Future.succeededFuture() : parse(source, scraper, run, url, first, p));
    });
  }

  /** A disallowed first page blocks the run; a later one is an error of the run, so it is not missed unseen. */
  private static Future<Void> blocked(Run run, String url, boolean first, String why) {
    if (first) {
      run.status = "blocked";
      run.error = why;
    } else {
      run.errors.add("page " + url + ": " + why);
    }
    return Future.succeededFuture();
  }

  private Future<Void> parse(Source source, Scraper scraper, Run run, String url, boolean first, Page p) {
    run.bytes += p.bytes();
    metrics.counter("pharmaops.scraping.pages", "status", String.valueOf(p.status())).increment();
    if (p.notModified()) {
      if (first) run.status = "not_modified";
      return Future.succeededFuture();
    }
    if (p.status() != 200) {
      if (first) return Future.failedFuture(new FetchException("HTTP " + p.status() + " from " + url, p.status(), 0, false));
      run.errors.add("page " + url + ": HTTP " + p.status());
      return Future.succeededFuture();
    }
    run.pages.add(p);
    run.visited.add(p.finalUrl());
    return vertx.executeBlocking(() -> scraper.parse(Jsoup.parse(new ByteArrayInputStream(p.body().getBytes()), null, p.finalUrl()), clock), false)
        .compose(result -> {
          run.found.addAll(result.items());
          result.errors().forEach(e -> run.errors.add(run.pages.size() > 1 ? "page " + run.pages.size() + " " + e : e));
          String next = result.nextUrl();
          if (next == null || run.visited.contains(next) || run.pages.size() >= source.spec().maxPages()) {
            return Future.succeededFuture();
          }
          return page(source, scraper, run, next, false);
        });
  }

  private Future<Void> record(Source source, Run run) {
    if (!run.status.equals("ok")) return Future.succeededFuture();
    if (run.found.isEmpty()) run.status = "empty";
    return items.record(source.id(), run.found, source.spec().channels()).compose(outcome -> {
      run.created = outcome.created().size();
      run.edited = outcome.edited();
      if (!outcome.created().isEmpty()) {
        metrics.counter("pharmaops.scraping.items.new").increment(run.created);
        // Deliver now; the run does not wait for slow channels (their retries are the sweeper's job).
        distributor.deliverNew(outcome.created(), source.spec().name(), source.spec().channels(), Instant.now());
      }
      List<Future<?>> remember = new ArrayList<>();
      for (Page p : run.pages) remember.add(fetcher.remember(source.id(), p));
      return Future.all(remember).compose(v -> emptyCheck(source, run));
    });
  }

  private Future<Void> emptyCheck(Source source, Run run) {
    return pool.preparedQuery(ScrapingSql.SOURCE_MARK_ITEMS).execute(Tuple.of(source.id(), run.found.size())).map(rs -> {
      if (rs.size() == 1 && Boolean.TRUE.equals(rs.iterator().next().getBoolean("alert"))) alert(source, run);
      return null;
    });
  }

  /** A source that used to return items returned none: its selectors probably broke. */
  private void alert(Source source, Run run) {
    metrics.counter("pharmaops.scraping.empty.alerts", "source", source.spec().name()).increment();
    log.warn("scraping source stopped returning items {} {} {}", kv("source", source.spec().name()),
        kv("url", source.spec().url()), kv("itemErrors", run.errors.size()));
    if (alertWebhook.isEmpty()) return;
    JsonObject body = new JsonObject().put("alert", "scraping.source.empty").put("sourceId", source.id())
        .put("source", source.spec().name()).put("url", source.spec().url()).put("itemErrors", new JsonArray(run.errors))
        .put("at", Instant.now().toString());
    client.postAbs(alertWebhook).timeout(5000).sendJsonObject(body)
        .onFailure(e -> log.warn("alert webhook failed {}", kv("error", e.toString())));
  }

  private Future<JsonObject> save(Source source, Run run) {
    JsonArray errors = new JsonArray(run.errors.stream().limit(100).toList());
    Tuple t = Tuple.from(List.of(source.id(), run.started.atOffset(ZoneOffset.UTC), run.status, run.pages.size(), run.found.size(),
        run.created, run.edited, errors, run.bytes)).addValue(run.error);
    return pool.preparedQuery(ScrapingSql.RUN_INSERT).execute(t).map(rs -> new JsonObject()
        .put("id", rs.iterator().next().getLong("id")).put("sourceId", source.id()).put("status", run.status)
        .put("pages", run.pages.size()).put("itemsFound", run.found.size()).put("itemsNew", run.created)
        .put("itemsEdited", run.edited).put("itemErrors", errors).put("bytes", run.bytes).put("error", run.error));
  }
}
