package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Builds the search documents of catalogue rows that writers only queued (V15: {@code search_pending}), in
 * batches of {@link #BATCH} through {@code search_index()}, {@link #LANES} batches at a time (one per core here),
 * then moves the catalogue generation, so that answers cached while those rows had no document yet are dropped.
 * Several nodes may run it at once: a row one of them holds is skipped by the others.
 */
public final class SearchIndex {
  /** The generation source of an indexing pass (its own {@code catalogue.changed} must not start another). */
  static final String SOURCE = "search-index";
  static final int BATCH = 2000;
  static final int LANES = 2;
  /** A pass that indexed this many rows refreshes the planner's statistics of the documents (autovacuum may be off or late). */
  static final int ANALYZE_AFTER = 5_000;
  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

  private SearchIndex() {}

  /** Indexes every marked row; when there were any, bumps and announces the generation. Returns the rows indexed. */
  public static Future<Integer> catchUp(Vertx vertx, Pool pool) {
    long start = System.nanoTime();
    List<Future<Integer>> lanes = new ArrayList<>();
    for (int i = 0; i < LANES; i++) lanes.add(batches(pool, 0));
    return Future.all(lanes).map(all -> lanes.stream().mapToInt(Future::result).sum()).compose(n -> {
      if (n == 0) return Future.succeededFuture(0);
      return pool.withTransaction(CatalogueEvents::bump).compose(g -> {
        CatalogueEvents.publish(vertx, g, SOURCE);
        log.info("search documents built {} {} {}", kv("rows", n), kv("ms", (System.nanoTime() - start) / 1_000_000),
            kv("generation", g));
        Future<Void> settled = CatalogueEvents.settle(pool);
        return (n < ANALYZE_AFTER ? settled : settled.compose(v -> pool.query("ANALYZE bula_search, search_lexicon").execute()
            .<Void>mapEmpty().otherwiseEmpty())).map(n);
      });
    });
  }

  /**
   * Everything queued before the call is searchable when this completes: {@link #catchUp} skips rows another pass
   * (the periodic one, another node's) holds and may return before that pass commits, so this then waits on the
   * rows still queued (a share lock conflicts with the indexer's) and indexes again until none are left. For
   * importers, which promise a searchable catalogue when they return.
   */
  public static Future<Integer> drain(Vertx vertx, Pool pool) {
    return catchUp(vertx, pool).compose(n -> pool.query(WAIT_FOR_HELD_ROWS).execute()
        .compose(rows -> rows.iterator().next().getLong("n") == 0
            ? Future.succeededFuture(n)
            : drain(vertx, pool).map(m -> n + m)));
  }

  private static final String WAIT_FOR_HELD_ROWS = "SELECT count(*) AS n FROM (SELECT id FROM search_pending FOR KEY SHARE) queued";

  private static Future<Integer> batches(Pool pool, int done) {
    return pool.preparedQuery("SELECT search_index($1) AS n").execute(Tuple.of(BATCH)).compose(rows -> {
      int n = rows.iterator().next().getInteger("n");
      return n < BATCH ? Future.succeededFuture(done + n) : batches(pool, done + n);
    });
  }
}
