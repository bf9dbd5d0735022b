package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one batch of one ERP into the catalogue in one transaction: resolves each record's row key, merges
 * with one {@code unnest} INSERT ... ON CONFLICT, and quarantines the rejected records. Counts are exact:
 * every accepted record is inserted, updated or unchanged (unchanged includes duplicates within the batch
 * and records that lost the merge to a higher-precedence ERP without adding anything).
 */
public final class CatalogueUpsert {
  private static final String SEP = "\u001f";
  private final Pool pool;

  public record Counts(int inserted, int updated, int unchanged, int quarantined) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0);

    public Counts plus(Counts o) {
      return new Counts(inserted + o.inserted, updated + o.updated, unchanged + o.unchanged, quarantined + o.quarantined);
    }
  }

  public CatalogueUpsert(Pool pool) {
    this.pool = pool;
  }

  /** Writes the batch; retried once on a deadlock or serialization failure (batches of different ERPs may meet). */
  public Future<Counts> write(String source, int rank, long runId, List<Product> products, List<Rejected> rejected) {
    if (products.isEmpty() && rejected.isEmpty()) return Future.succeededFuture(Counts.ZERO);
    return attempt(source, rank, runId, products, rejected).recover(e -> {
      if (e instanceof PgException pg && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()))) {
        return attempt(source, rank, runId, products, rejected);
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Counts> attempt(String source, int rank, long runId, List<Product> products, List<Rejected> rejected) {
    return pool.withTransaction(tx -> tx.query(ErpSql.ASYNC_COMMIT).execute().compose(v -> resolveKeys(tx, products))
        .compose(keyed -> upsert(tx, source, rank, keyed).map(c -> new Counts(c.inserted, c.updated,
            c.unchanged + products.size() - keyed.size(), 0)))
        .compose(c -> quarantine(tx, source, runId, rejected).map(q -> new Counts(c.inserted, c.updated, c.unchanged, q))));
  }

  /**
   * The row key of every product, one product per key (sorted, so concurrent batches lock rows in the same
   * order). A product known only by EAN joins the row of a registered product carrying that EAN; a
   * registered product adopts a row that so far was known only by one of its EANs.
   */
  private Future<TreeMap<String, Product>> resolveKeys(SqlConnection tx, List<Product> products) {
    List<String> eanOnly = new ArrayList<>();
    List<String> eanKeys = new ArrayList<>();
    for (Product p : products) {
      if (p.registration() == null) eanOnly.addAll(p.eans());
      else for (String e : p.eans()) eanKeys.add("ean:" + e);
    }
    Future<Map<String, String>> keyByEan = eanOnly.isEmpty() ? Future.succeededFuture(Map.of())
        : tx.preparedQuery(ErpSql.ROWS_BY_EAN).execute(Tuple.of(eanOnly.toArray(String[]::new))).map(rows -> {
          Map<String, String> m = new HashMap<>();
          for (Row r : rows) m.put(r.getString("e"), r.getString("match_key"));
          return m;
        });
    Future<Set<String>> eanOnlyRows = eanKeys.isEmpty() ? Future.succeededFuture(Set.of())
        : tx.preparedQuery(ErpSql.EAN_ONLY_ROWS).execute(Tuple.of(eanKeys.toArray(String[]::new))).map(rows -> {
          Set<String> keys = new HashSet<>();
          for (Row r : rows) keys.add(r.getString("match_key"));
          return keys;
        });
    return Future.all(keyByEan, eanOnlyRows).compose(found -> {
      Map<String, String> byEan = keyByEan.result();
      Set<String> adoptable = eanOnlyRows.result();
      Map<String, String> registrationByEan = new HashMap<>();
      for (Product p : products) {
        if (p.registration() != null) for (String e : p.eans()) registrationByEan.merge(e, p.registration(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
      }
      TreeMap<String, Product> keyed = new TreeMap<>();
      Map<String, String> adopt = new LinkedHashMap<>();
      for (Product p : products) {
        String key = p.registration();
        if (key == null) {
          key = "ean:" + p.eans().get(0);
          for (String e : p.eans()) {
            String inBatch = registrationByEan.get(e);
            String candidate = inBatch != null ? inBatch : byEan.get(e);
            // Registrations (digits) sort before "ean:" keys: the smallest key is the registered row if any.
            if (candidate != null && candidate.compareTo(key) < 0) key = candidate;
          }
        } else {
          for (String e : p.eans()) if (adoptable.contains("ean:" + e)) adopt.putIfAbsent("ean:" + e, p.registration());
        }
        keyed.merge(key, p, CatalogueUpsert::preferred);
      }
      if (adopt.isEmpty()) return Future.succeededFuture(keyed);
      List<Tuple> batch = new ArrayList<>();
      adopt.forEach((k, reg) -> batch.add(Tuple.of(k, reg)));
      return tx.preparedQuery(ErpSql.ADOPT).executeBatch(batch).map(keyed);
    });
  }

  /** Of two records of one ERP for one row: the registered one, then the later change, then the larger id. */
  private static Product preferred(Product a, Product b) {
    Comparator<Product> order = Comparator.<Product, Boolean>comparing(p -> p.registration() != null)
        .thenComparing(p -> p.updatedAt() == null ? java.time.Instant.MIN : p.updatedAt())
        .thenComparing(Product::externalId);
    return order.compare(a, b) >= 0 ? a : b;
  }

  private Future<Counts> upsert(SqlConnection tx, String source, int rank, TreeMap<String, Product> keyed) {
    int n = keyed.size();
    String[][] cols = new String[11][n];
    int i = 0;
    for (var e : keyed.entrySet()) {
      Product p = e.getValue();
      boolean byEan = e.getKey().startsWith("ean:");
      cols[0][i] = byEan ? e.getKey().substring(4) : "";
      cols[1][i] = p.name();
      cols[2][i] = String.join(SEP, p.activeIngredients());
      cols[3][i] = orEmpty(p.manufacturer());
      cols[4][i] = orEmpty(p.cnpj());
      cols[5][i] = byEan ? "" : e.getKey(); // the registration of the row this record joins
      cols[6][i] = orEmpty(p.category());
      cols[7][i] = orEmpty(p.therapeuticClass());
      cols[8][i] = orEmpty(p.status());
      cols[9][i] = String.join(SEP, p.eans());
      cols[10][i] = orEmpty(p.presentation());
      i++;
    }
    Tuple t = Tuple.tuple();
    for (String[] c : cols) t.addArrayOfString(c);
    t.addString(source).addInteger(rank);
    return tx.preparedQuery(ErpSql.UPSERT).execute(t).map(rows -> {
      int inserted = 0;
      int updated = 0;
      for (Row r : rows) {
        if (r.getBoolean(0)) inserted++;
        else updated++;
      }
      return new Counts(inserted, updated, n - inserted - updated, 0);
    });
  }

  private Future<Integer> quarantine(SqlConnection tx, String source, long runId, List<Rejected> rejected) {
    if (rejected.isEmpty()) return Future.succeededFuture(0);
    // One row per (key, reason): duplicates in one statement would hit the same conflict row twice.
    Map<String, Rejected> distinct = new LinkedHashMap<>();
    for (Rejected r : rejected) distinct.putIfAbsent(r.recordKey() + SEP + r.reason(), r);
    String[] keys = distinct.values().stream().map(Rejected::recordKey).toArray(String[]::new);
    String[] reasons = distinct.values().stream().map(Rejected::reason).toArray(String[]::new);
    String[] raws = distinct.values().stream().map(r -> r.raw().replace("\u0000", "")).toArray(String[]::new);
    return tx.preparedQuery(ErpSql.QUARANTINE).execute(Tuple.of(source, keys, reasons, raws, runId)).map(rejected.size());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
