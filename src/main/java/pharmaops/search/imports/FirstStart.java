package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.AppConfig;

import java.nio.file.Path;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * What an empty catalogue receives at start, so a new user's first search finds something: the demo
 * catalogue ({@code demo.seed}), then ANVISA's list ({@code demo.anvisaCsv}) and leaflets ({@code demo.leafletDir})
 * when configured. A catalogue that already has products is left alone.
 */
public final class FirstStart {
  private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

  private FirstStart() {}

  public static Future<Void> fill(Vertx vertx, Pool pool, AppConfig.Demo demo) {
    if (!demo.seed() && demo.anvisaCsv().isEmpty() && demo.leafletDir().isEmpty()) return Future.succeededFuture();
    return pool.query(CatalogueSql.IS_EMPTY).execute().compose(rows -> {
      if (!rows.iterator().next().getBoolean("empty")) return Future.succeededFuture();
      log.info("empty catalogue: filling it {} {} {}", kv("demo", demo.seed()), kv("anvisaCsv", demo.anvisaCsv()),
          kv("leafletDir", demo.leafletDir()));
      Future<?> chain = Future.succeededFuture();
      if (demo.seed()) chain = chain.compose(v -> DemoCatalogue.seedIfEmpty(vertx, pool).onSuccess(r -> log.info("demo catalogue loaded {}", kv("products", r.written()))));
      if (!demo.anvisaCsv().isEmpty()) chain = chain.compose(v -> new AnvisaImporter(vertx, pool).importFile(Path.of(demo.anvisaCsv())));
      if (!demo.leafletDir().isEmpty()) chain = chain.compose(v -> new LeafletImporter(vertx, pool).importDir(Path.of(demo.leafletDir())));
      return chain.mapEmpty();
    });
  }
}
