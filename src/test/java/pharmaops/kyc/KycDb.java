package pharmaops.kyc;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test (and bench) access to a KYC database: blocking helpers to create customers and read the ledger. */
public final class KycDb implements AutoCloseable {
  public final Pool pool;

  public KycDb(Vertx vertx, String url, int size) {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    if (o.getUser() == null || o.getUser().isEmpty()) o.setUser("postgres");
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(o).using(vertx).build();
  }

  /** Inserts a customer with its attributes and documents ({@code kind -> state}); returns its id. */
  public long customer(String email, String status, boolean verified, Long parentId, Map<String, String> attributes,
                       Map<String, String> documents) {
    long id = pool.preparedQuery("INSERT INTO kyc_customer (email, name, status, verified, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .execute(Tuple.of(email, "Name of " + email, status, verified, parentId)).await().iterator().next().getLong(0);
    attributes.forEach((k, v) -> pool.preparedQuery("INSERT INTO kyc_customer_attribute (customer_id, key, value) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, k, v)).await());
    documents.forEach((k, v) -> pool.preparedQuery("INSERT INTO kyc_document (customer_id, kind, state) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, k, v)).await());
    return id;
  }

  /** An eligible customer due {@code dueInDays} from {@code today} with one missing document (proof_of_address). */
  public long due(String email, LocalDate today, int dueInDays) {
    return customer(email, "active", true, null,
        Map.of("verification_due_date", today.plusDays(dueInDays).toString(), "verification_requested", "true"),
        Map.of("id_front", "approved", "id_back", "approved", "proof_of_address", "missing"));
  }

  /** Every required document (kyc_required_document) in an accepted state: nothing to remind. */
  public static Map<String, String> allAccepted() {
    return Map.of("id_front", "approved", "id_back", "approved", "proof_of_address", "submitted");
  }

  public long scalar(String sql, Object... args) {
    Row r = pool.preparedQuery(sql).execute(Tuple.from(args)).await().iterator().next();
    return r.getLong(0);
  }

  public List<String> strings(String sql, Object... args) {
    List<String> out = new ArrayList<>();
    pool.preparedQuery(sql).execute(Tuple.from(args)).await().forEach(r -> out.add(r.getString(0)));
    return out;
  }

  /** Runs {@code kyc/dataset.sql} (the reproducible generated dataset) for {@code customers} customers. */
  public void generate(int customers, LocalDate today) {
    String sql;
    try (InputStream in = KycDb.class.getResourceAsStream("/kyc/dataset.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    sql = sql.replace(":customers", Integer.toString(customers)).replace(":'today'", "'" + today + "'");
    pool.query(sql).execute().await();
  }

  @Override
  public void close() {
    pool.close().await();
  }
}
