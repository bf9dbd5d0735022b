package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import pharmaops.search.CatalogueEvents;
import pharmaops.search.SearchIndex;

import java.util.function.Function;

/**
 * The one way importers write: a transaction that changes rows and, when it changed any, moves the
 * catalogue generation in the same transaction and announces it after the commit (the search cache contract).
 * An importer then builds the search documents of what it wrote ({@link #indexed}, once at its end), so an import
 * is searchable when it returns.
 */
final class CatalogueWrites {
  /** Rows written by one transaction and the generation it committed (0 when it wrote nothing). */
  record Written(int rows, long generation) {}

  private CatalogueWrites() {}

  static Future<Written> inTransaction(Vertx vertx, Pool pool, String source, Function<SqlConnection, Future<Integer>> work) {
    return pool.withTransaction(tx -> bumpIfWritten(tx, work)).onSuccess(w -> announce(vertx, w, source));
  }

  /**
   * Same, for work that uses savepoints to survive a rejected statement: the client's transaction API rolls the
   * whole transaction back at the first failed statement, so this one is opened and closed by plain SQL.
   */
  static Future<Written> inTransactionWithSavepoints(Vertx vertx, Pool pool, String source,
                                                      Function<SqlConnection, Future<Integer>> work) {
    return pool.withConnection(conn -> conn.query("BEGIN").execute()
            .compose(x -> bumpIfWritten(conn, work))
            .compose(w -> conn.query("COMMIT").execute().map(w))
            .recover(err -> conn.query("ROLLBACK").execute().transform(x -> Future.<Written>failedFuture(err))))
        .onSuccess(w -> announce(vertx, w, source));
  }

  /** After a write that changed rows: their search documents, built before the importer reports. */
  static Future<Written> indexed(Vertx vertx, Pool pool, Written w) {
    return w.rows() == 0 ? Future.succeededFuture(w) : SearchIndex.drain(vertx, pool).map(w);
  }

  private static Future<Written> bumpIfWritten(SqlConnection tx, Function<SqlConnection, Future<Integer>> work) {
    return work.apply(tx).compose(rows -> rows == 0
        ? Future.succeededFuture(new Written(0, 0))
        : CatalogueEvents.bump(tx).map(g -> new Written(rows, g)));
  }

  private static void announce(Vertx vertx, Written w, String source) {
    if (w.generation() > 0) CatalogueEvents.publish(vertx, w.generation(), source);
  }
}
