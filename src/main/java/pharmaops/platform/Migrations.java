package pharmaops.platform;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code db/migration/V<n>__*.sql}. Each capability owns a range of versions (see the README), so
 * out-of-order application is allowed: a database that has V20 may still receive a new V12. Blocking (JDBC):
 * call it from a worker thread.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static MigrateResult migrate(PgConnectOptions pg) {
    String jdbc = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + "/" + pg.getDatabase();
    MigrateResult result = Flyway.configure()
        .dataSource(jdbc, pg.getUser(), pg.getPassword())
        .locations("classpath:db/migration")
        .outOfOrder(true)
        .load()
        .migrate();
    log.info("database schema migrated applied={} version={}", result.migrationsExecuted, result.targetSchemaVersion);
    return result;
  }
}
