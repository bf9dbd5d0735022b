package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.AppConfig;
import pharmaops.platform.EmbeddedServices;
import pharmaops.platform.Migrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * {@code java -jar pharmaops.jar import-anvisa <medicamentos.csv>} and {@code import-leaflets <folder>}: the
 * importers against the configured database (or the embedded one under {@code dataDir}, shared with a running
 * server), after migrating it. Prints the report; exit code 0 even with rejected rows (they are listed).
 */
public final class ImportCommands {
  private static final Logger log = LoggerFactory.getLogger(ImportCommands.class);
  public static final String ANVISA_USAGE = "<medicamentos.csv>: upsert ANVISA's open-data medicines list by registration";
  public static final String LEAFLETS_USAGE = "<folder of .txt leaflets>: split leaflets into sections and attach them to products";

  private ImportCommands() {}

  public static int anvisa(AppConfig config, String[] args) throws Exception {
    return run(config, args, ANVISA_USAGE, (vertx, pool) -> new AnvisaImporter(vertx, pool).importFile(Path.of(args[1])));
  }

  public static int leaflets(AppConfig config, String[] args) throws Exception {
    return run(config, args, LEAFLETS_USAGE, (vertx, pool) -> new LeafletImporter(vertx, pool).importDir(Path.of(args[1])));
  }

  private static int run(AppConfig config, String[] args, String usage, BiFunction<Vertx, Pool, Future<ImportReport>> work)
      throws Exception {
    if (args.length != 2 || !Files.exists(Path.of(args[1]))) {
      log.error("usage: java -jar pharmaops.jar {} {}", args[0], usage);
      return 2;
    }
    EmbeddedServices.Started<?> embedded = null;
    String url = config.pg().url();
    if (config.pg().embedded()) {
      embedded = EmbeddedServices.startPostgres(config.dataDir().resolve("pg"), config.pg().embeddedPort());
      url = embedded.url();
    }
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    if (options.getUser() == null || options.getUser().isEmpty()) options.setUser("postgres");
    Migrations.migrate(options);
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
    try {
      ImportReport report = work.apply(vertx, pool).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      report.problems().forEach(p -> log.warn("{}", p));
      log.info("import finished: {} read, {} written, {} rejected, catalogue generation {}", report.read(), report.written(),
          report.rejected(), report.generation());
      return 0;
    } finally {
      pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (embedded != null) embedded.stop();
    }
  }
}
