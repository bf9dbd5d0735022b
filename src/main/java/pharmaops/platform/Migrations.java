package pharmaops.platform;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Applies {@code db/migration/V<n>__*.sql}. Each capability owns a range of versions (see the README), so
 * out-of-order application is allowed: a database that has V20 may still receive a new V12. Blocking (JDBC):
 * call it from a worker thread.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static MigrateResult migrate(PgConnectOptions pg) {
    String jdbc = jdbcUrl(pg);
    MigrateResult result = Flyway.configure()
        .dataSource(jdbc, pg.getUser(), pg.getPassword())
        .locations("classpath:db/migration")
        .outOfOrder(true)
        .load()
        .migrate();
    log.info("database schema migrated applied={} version={}", result.migrationsExecuted, result.targetSchemaVersion);
    return result;
  }

  /**
   * The JDBC form of the reactive client's options, keeping what changes the connection (TLS mode, server
   * server options and {@code search_path}) so Flyway connects the way the application does.
   */
  static String jdbcUrl(PgConnectOptions pg) {
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(pg.getHost()).append(':').append(pg.getPort())
        .append('/').append(URLEncoder.encode(pg.getDatabase(), StandardCharsets.UTF_8));
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    SslMode ssl = pg.getSslMode();
    if (ssl != null && ssl != SslMode.DISABLE) params.add("sslmode=" + ssl.value);
    pg.getProperties().forEach((k, v) -> {
      if (k.equals("options")) params.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      else if (k.equals("search_path")) params.add("currentSchema=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return url.append(params).toString();
  }
}
