package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes one batch of one ERP into the catalogue in one transaction: resolves each record's row key, merges
 * with one {@code unnest} INSERT ... ON CONFLICT, quarantines the rejected records, and marks the ERP dirty
 * when rows changed (the generation then moves, even if this node dies before its run ends). Counts are exact:
 * every accepted record is inserted, updated or unchanged (unchanged includes records merged with another of
 * the batch into one row and records that lost the merge to a higher-precedence ERP without adding anything).
 */
public final class CatalogueUpsert {
  private static final String SEP = "\u001f";
  static final int ATTEMPTS = 3;
  private static final Set<String> RETRIED = Set.of("40P01", "40001", "23505");
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

  /**
   * Writes the batch. Batches of different ERPs may meet on rows: a deadlock, a serialization failure or a
   * unique violation (a concurrent batch adopted or created the row this one was about to key) is retried, up
   * to {@link #ATTEMPTS} times; the retry sees the other batch's committed rows.
   */
  public Future<Counts> write(String source, int rank, long runId, List<Product> products, List<Rejected> rejected) {
    if (products.isEmpty() && rejected.isEmpty()) return Future.succeededFuture(Counts.ZERO);
    return write(source, rank, runId, products, rejected, 1);
  }

  private Future<Counts> write(String source, int rank, long runId, List<Product> products, List<Rejected> rejected, int attempt) {
    return attempt(source, rank, runId, products, rejected).recover(e -> {
      if (attempt < ATTEMPTS && e instanceof PgException pg && RETRIED.contains(pg.getSqlState())) {
        return write(source, rank, runId, products, rejected, attempt + 1);
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Counts> attempt(String source, int rank, long runId, List<Product> products, List<Rejected> rejected) {
    // SET LOCAL is pipelined with the lookups (one connection runs them in order): one round trip less per batch
    return pool.withTransaction(tx -> Future.all(tx.query(ErpSql.ASYNC_COMMIT).execute(), resolveKeys(tx, products))
        .map(both -> both.<MatchKeys>resultAt(1))
        .compose(keys -> upsert(tx, source, rank, keys.keyed()).compose(c -> {
          boolean changed = c.inserted + c.updated > 0 || !keys.adopt().isEmpty() || !keys.rekey().isEmpty();
          Future<?> dirty = changed ? tx.preparedQuery(ErpSql.MARK_DIRTY).execute(Tuple.of(source)) : Future.succeededFuture();
          return dirty.map(x -> new Counts(c.inserted, c.updated, c.unchanged + products.size() - keys.keyed().size(), 0));
        }))
        .compose(c -> quarantine(tx, source, runId, rejected).map(q -> new Counts(c.inserted, c.updated, c.unchanged, q))));
  }

  /** Looks up the rows the batch's EANs lead to, then keys every product (see {@link MatchKeys}) and moves adopted and rekeyed rows. */
  private Future<MatchKeys> resolveKeys(SqlConnection tx, List<Product> products) {
    Set<String> eanOnly = new TreeSet<>();
    Set<String> registered = new TreeSet<>();
    for (Product p : products) (p.registration() == null ? eanOnly : registered).addAll(p.eans());
    Future<Map<String, String>> rowByEan = byEan(tx, ErpSql.ROW_BY_EAN, eanOnly);
    Future<Map<String, String>> eanOnlyRowByEan = byEan(tx, ErpSql.EAN_ONLY_ROW_BY_EAN, registered);
    return Future.all(rowByEan, eanOnlyRowByEan).compose(found -> {
      MatchKeys keys = MatchKeys.resolve(products, rowByEan.result(), eanOnlyRowByEan.result());
      return moves(tx, ErpSql.ADOPT, keys.adopt()).compose(v -> moves(tx, ErpSql.REKEY, keys.rekey())).map(keys);
    });
  }

  private static Future<Map<String, String>> byEan(SqlConnection tx, String sql, Set<String> eans) {
    if (eans.isEmpty()) return Future.succeededFuture(Map.of());
    return tx.preparedQuery(sql).execute(Tuple.of(eans.toArray(String[]::new))).map(rows -> {
      Map<String, String> m = new HashMap<>();
      for (Row r : rows) m.put(r.getString("e"), r.getString("match_key"));
      return m;
    });
  }

  private static Future<Void> moves(SqlConnection tx, String sql, Map<String, String> moves) {
    if (moves.isEmpty()) return Future.succeededFuture();
    List<Tuple> batch = new ArrayList<>();
    moves.forEach((key, to) -> batch.add(Tuple.of(key, to)));
    return tx.preparedQuery(sql).executeBatch(batch).mapEmpty();
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
