package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

/**
 * The contract between whoever changes the catalogue (importer, ERP sync) and the search cache. A writer
 * calls {@link #bump} inside the transaction that changes rows, and {@link #publish} after it commits; every
 * node then moves its cache keys to the new generation, which invalidates all cached searches in O(1).
 */
public final class CatalogueEvents {
  /** Published (to every node) after a committed catalogue change: {@code {"generation": long, "source": string}}. */
  public static final String CHANGED = "catalogue.changed";

  private CatalogueEvents() {}

  /** Moves the generation; run it in the transaction that changes the catalogue. */
  public static Future<Long> bump(SqlClient tx) {
    return tx.query("SELECT nextval('catalogue_generation') AS g").execute()
        .map(rows -> rows.iterator().next().getLong("g"));
  }

  /**
   * Merges the search indexes' pending entries into their trees; the indexer calls it after each pass, so searches
   * do not scan a long unsorted list until the next vacuum. Never fails the caller.
   */
  public static Future<Void> settle(SqlClient client) {
    return client.query("SELECT search_settle()").execute().<Void>mapEmpty().otherwiseEmpty();
  }

  /** Tells every node (and sister services) that the catalogue changed; call after the commit. */
  public static void publish(Vertx vertx, long generation, String source) {
    vertx.eventBus().publish(CHANGED, new JsonObject().put("generation", generation).put("source", source));
  }
}
