package pharmaops.search;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import pharmaops.http.Problem;
import pharmaops.platform.Cache;
import pharmaops.search.imports.Leaflet.Section;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Search and leaflet reads, cache-aside: the cache key holds the catalogue generation, so a catalogue change
 * makes every older entry unreachable at once (and Redis expires it by TTL). Redis trouble is a miss (the
 * platform cache never fails), so answers then come from PostgreSQL.
 */
public final class BulaSearch {
  static final String CACHE_SEARCH = "bulas";
  static final String CACHE_LEAFLET = "bula";
  private static final long LINGER_MS = 1_000;
  private final Vertx vertx;
  private final Pool pool;
  private final Cache cache;
  private final Generation generation;
  private final SearchConfig config;
  private final Timer dbTimer;
  private final MeterRegistry registry;
  /**
   * Misses being computed, by key: concurrent identical misses share one query (no stampede after a change).
   * An entry outlives its answer by {@link #LINGER_MS}, for requests whose cache lookup began before the
   * answer was stored and ends (a Redis miss or timeout) after it.
   */
  private final Map<String, Future<Buffer>> inFlight = new ConcurrentHashMap<>();

  BulaSearch(Vertx vertx, Pool pool, Cache cache, Generation generation, SearchConfig config, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.cache = cache;
    this.generation = generation;
    this.config = config;
    this.registry = registry;
    this.dbTimer = Timer.builder("pharmaops.search.db").description("Search queries answered by PostgreSQL (cache misses and bypasses)")
        .publishPercentileHistogram().register(registry);
  }

  /** The response body of GET /api/v1/bulas for this query, as JSON bytes. */
  public Future<Buffer> search(SearchQuery q) {
    if (!q.useCache()) return fromDatabase(q);
    // The normalised query itself is the key (at most a few hundred bytes): hashing it cost more than it saved.
    String key = generation.current() + ":" + q.cacheKey();
    return cache.get(CACHE_SEARCH, key).compose(hit -> hit != null ? Future.succeededFuture(hit) : shared(key, q));
  }

  private Future<Buffer> shared(String key, SearchQuery q) {
    Future<Buffer> running = inFlight.get(key);
    if (running != null) return running;
    Promise<Buffer> promise = Promise.promise();
    running = inFlight.putIfAbsent(key, promise.future());
    if (running != null) return running;
    fromDatabase(q)
        .onSuccess(body -> cache.put(CACHE_SEARCH, key, body, config.cacheTtlSeconds()))
        .onComplete(ar -> vertx.setTimer(LINGER_MS, t -> inFlight.remove(key)))
        .onComplete(promise);
    return promise.future();
  }

  /** The whole leaflet, or a 404 problem. */
  public Future<Buffer> leaflet(long id) {
    String key = generation.current() + ":" + id;
    return cache.get(CACHE_LEAFLET, key).compose(hit -> {
      if (hit != null) return Future.succeededFuture(hit);
      return pool.preparedQuery(SearchSql.BY_ID).execute(Tuple.of(id)).map(rows -> {
        if (rows.size() == 0) throw Problem.notFound("No leaflet with id " + id + ".");
        return leafletJson(rows.iterator().next()).toBuffer();
      }).onSuccess(body -> cache.put(CACHE_LEAFLET, key, body, config.cacheTtlSeconds()));
    });
  }

  private Future<Buffer> fromDatabase(SearchQuery q) {
    long start = System.nanoTime();
    int limit = q.size() + 1; // one more than a page tells whether there is a next one
    Future<RowSet<Row>> rows;
    String kind;
    if (q.identifier() != null) {
      kind = "identifier";
      String id = q.identifier();
      String registration = id.length() == 9 ? id : id.length() == 13 ? id.substring(0, 9) : null;
      rows = pool.preparedQuery(SearchSql.IDENTIFIER).execute(Tuple.of(registration, id, q.manufacturer(), q.category(),
          q.status(), q.offset(), limit));
    } else {
      kind = "text";
      var terms = q.terms();
      String[] words = terms.toArray(String[]::new);
      Boolean[] prefixes = new Boolean[words.length];
      for (int i = 0; i < words.length; i++) prefixes[i] = q.isPrefix(terms, i);
      Tuple t = Tuple.tuple().addArrayOfString(words).addArrayOfBoolean(prefixes).addString(q.q())
          .addString(q.manufacturer()).addString(q.category()).addString(q.status()).addInteger(q.offset()).addInteger(limit);
      rows = pool.preparedQuery(SearchSql.SEARCH).execute(t).compose(rs -> rs.size() > 0 || q.offset() > 0 ? Future.succeededFuture(rs)
          : pool.preparedQuery(SearchSql.SIMILAR_NAMES).execute(Tuple.of(q.q(), q.manufacturer(), q.category(), q.status(),
              q.offset(), limit)));
    }
    return rows.map(rs -> {
      dbTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      JsonArray items = new JsonArray();
      int n = 0;
      for (Row r : rs) {
        if (n++ == q.size()) break;
        items.add(item(r));
      }
      boolean more = rs.size() > q.size() && q.offset() + q.size() < config.maxResults();
      Counter.builder("pharmaops.search.queries").description("Searches answered by PostgreSQL, by kind and whether anything matched")
          .tag("kind", kind).tag("found", items.isEmpty() ? "no" : "yes").register(registry).increment();
      return new JsonObject().put("items", items).put("next", more ? Cursor.encode(q.offset() + q.size()) : null).toBuffer();
    });
  }

  private static JsonObject item(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("name", r.getString("name"))
        .put("activeIngredients", strings(r.getArrayOfStrings("active_ingredients")))
        .put("manufacturer", r.getString("manufacturer"))
        .put("registration", r.getString("registration"))
        .put("category", r.getString("category"))
        .put("status", r.getString("status"))
        .put("eans", strings(r.getArrayOfStrings("eans")))
        .put("highlight", r.getString("highlight"));
  }

  static JsonObject leafletJson(Row r) {
    JsonObject sections = new JsonObject();
    for (Section s : Section.values()) sections.put(s.json, r.getString(s.column));
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("name", r.getString("name"))
        .put("activeIngredients", strings(r.getArrayOfStrings("active_ingredients")))
        .put("manufacturer", r.getString("manufacturer"))
        .put("registration", r.getString("registration"))
        .put("category", r.getString("category"))
        .put("therapeuticClass", r.getString("therapeutic_class"))
        .put("status", r.getString("status"))
        .put("eans", strings(r.getArrayOfStrings("eans")))
        .put("presentation", r.getString("presentation"))
        .put("sections", sections)
        .put("source", r.getString("source"))
        .put("updatedAt", r.getOffsetDateTime("updated_at").toInstant().toString());
  }

  private static JsonArray strings(String[] a) {
    JsonArray out = new JsonArray();
    if (a != null) for (String s : a) out.add(s);
    return out;
  }
}
