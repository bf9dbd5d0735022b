package pharmaops.platform;

import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {
  @Test
  void plainUrlBecomesPlainJdbcUrl() {
    assertThat(Migrations.jdbcUrl(PgConnectOptions.fromUri("postgresql://postgres@127.0.0.1:5432/pharmaops")))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/pharmaops");
  }

  @Test
  void tlsModeOfTheApplicationUrlReachesFlyway() {
    // A managed PostgreSQL that requires TLS would refuse Flyway's connection if sslmode were dropped.
    assertThat(Migrations.jdbcUrl(PgConnectOptions.fromUri("postgresql://app:secret@db.example:6543/prod?sslmode=require")))
        .isEqualTo("jdbc:postgresql://db.example:6543/prod?sslmode=require");
  }

  @Test
  void searchPathBecomesFlywaysCurrentSchema() {
    PgConnectOptions pg = PgConnectOptions.fromUri("postgresql://app@db:5432/prod").addProperty("search_path", "ops");
    assertThat(Migrations.jdbcUrl(pg)).isEqualTo("jdbc:postgresql://db:5432/prod?currentSchema=ops");
  }
}
