package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import pharmaops.search.CatalogueEvents;

import java.util.function.Function;

/**
 * The one way importers write: a transaction that changes rows and, when it changed any, moves the
 * catalogue generation in the same transaction and announces it after the commit (the search cache contract).
 */
final class CatalogueWrites {
  /** Rows written by one transaction and the generation it committed (0 when it wrote nothing). */
  record Written(int rows, long generation) {}

  private CatalogueWrites() {}

  static Future<Written> inTransaction(Vertx vertx, Pool pool, String source, Function<SqlConnection, Future<Integer>> work) {
    return pool.withTransaction(tx -> work.apply(tx).compose(rows -> rows == 0
            ? Future.succeededFuture(new Written(0, 0))
            : CatalogueEvents.bump(tx).map(g -> new Written(rows, g))))
        .onSuccess(w -> {
          if (w.generation() > 0) CatalogueEvents.publish(vertx, w.generation(), source);
        });
  }
}
