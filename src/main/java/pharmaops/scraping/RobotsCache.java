package pharmaops.scraping;

import io.vertx.core.Future;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * robots.txt per host (the host of the URL asked about, which a redirect or a next page may take off the
 * source's own host), fetched through the same polite {@link Fetcher}, parsed once and kept for an hour;
 * sources on one host share one fetch, even when they start together. A missing file (4xx) allows
 * everything; an unreachable one (5xx, timeout) disallows everything for now, as RFC 9309 asks, so an
 * overloaded site is not scraped against its wishes, and is asked again on the next run.
 */
final class RobotsCache {
  private static final long TTL_MS = 3_600_000;

  private record Entry(Future<Robots> robots, long expiresAt) {}

  private final Fetcher fetcher;
  private final String userAgent;
  private final Map<String, Entry> byHost = new ConcurrentHashMap<>();

  RobotsCache(Fetcher fetcher, String userAgent) {
    this.fetcher = fetcher;
    this.userAgent = userAgent;
  }

  /** Succeeds with true when the source may fetch {@code url}. */
  Future<Boolean> allows(Source src, String url) {
    if (!src.spec().respectRobots()) return Future.succeededFuture(true);
    URI u = URI.create(url);
    String host = SourceSpec.hostOf(url);
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    long now = System.currentTimeMillis();
    Entry e = byHost.compute(host, (h, old) -> old != null && old.expiresAt > now ? old
        : new Entry(fetch(src, u.getScheme() + "://" + h + "/robots.txt"), now + TTL_MS));
    return e.robots.map(r -> r.allows(path)).otherwise(err -> {
      byHost.remove(host, e);
      return false;
    });
  }

  private Future<Robots> fetch(Source source, String robotsUrl) {
    // RFC 9309: follow redirects of robots.txt itself (the target's robots.txt is not asked about).
    return fetcher.get(source, robotsUrl, false, target -> Future.succeededFuture(true)).compose(page -> {
      if (page.status() >= 200 && page.status() < 300) {
        return Future.succeededFuture(Robots.parse(page.body().toString(StandardCharsets.UTF_8), userAgent));
      }
      if (page.status() >= 400 && page.status() < 500) return Future.succeededFuture(Robots.ALLOW_ALL);
      return Future.failedFuture("robots.txt answered HTTP " + page.status());
    });
  }
}
