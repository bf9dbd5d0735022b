package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue upsert alone: {@code n} new rows, then the same rows changed, in batches. Next to it, in the
 * same run, the machine's reference: a bare {@code unnest} upsert of the same batch size into a plain table
 * (the ceilings tool's {@code upsert_unnest500} shape: id primary key and five columns), one connection.
 */
final class UpsertBench {
  private static final String REF_TABLE = "CREATE TABLE IF NOT EXISTS upsert_ref (id bigint PRIMARY KEY, customer_name text,"
      + " email text, status text, amount numeric(12,2), created_at timestamptz)";
  private static final String REF_UPSERT = "INSERT INTO upsert_ref SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[],"
      + " $4::text[], $5::numeric[], $6::timestamptz[]) ON CONFLICT (id) DO UPDATE SET customer_name = EXCLUDED.customer_name,"
      + " email = EXCLUDED.email, status = EXCLUDED.status, amount = EXCLUDED.amount, created_at = EXCLUDED.created_at";

  private UpsertBench() {}

  /** Returns {insert rows/s, update rows/s} with {@code writers} concurrent writers. */
  static double[] measure(Pool pool, int n, int batch, int writers, String variant) {
    pool.query("DELETE FROM bula WHERE source = 'bench'").execute().await();
    double insert = pass(pool, products(n, variant + "A"), batch, writers);
    double update = pass(pool, products(n, variant + "B"), batch, writers);
    return new double[] {insert, update};
  }

  /** The reference on a plain table: {insert rows/s, update rows/s}, one connection. */
  static double[] reference(Pool pool, int n, int batch) {
    pool.query("DROP TABLE IF EXISTS upsert_ref").execute().compose(v -> pool.query(REF_TABLE).execute()).await();
    double[] out = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      long t0 = System.nanoTime();
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < n; from += batch) {
        int size = Math.min(batch, n - from);
        Long[] ids = new Long[size];
        String[] names = new String[size];
        String[] emails = new String[size];
        String[] states = new String[size];
        java.math.BigDecimal[] amounts = new java.math.BigDecimal[size];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[size];
        for (int i = 0; i < size; i++) {
          long id = from + i;
          ids[i] = id;
          names[i] = "customer " + id + " " + pass;
          emails[i] = "c" + id + "@example.com";
          states[i] = pass == 0 ? "new" : "paid";
          amounts[i] = java.math.BigDecimal.valueOf(id % 100_000, 2);
          at[i] = java.time.OffsetDateTime.now();
        }
        chain = chain.compose(v -> pool.preparedQuery(REF_UPSERT)
            .execute(io.vertx.sqlclient.Tuple.of(ids, names, emails, states, amounts, at)).mapEmpty());
      }
      chain.await();
      out[pass] = n / ((System.nanoTime() - t0) / 1e9);
    }
    pool.query("DROP TABLE upsert_ref").execute().await();
    return out;
  }

  private static double pass(Pool pool, List<Product> all, int batch, int writers) {
    CatalogueUpsert upsert = new CatalogueUpsert(pool);
    List<List<Product>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += batch) batches.add(all.subList(i, Math.min(all.size(), i + batch)));
    long t0 = System.nanoTime();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      final int lane = w;
      Future<Void> f = Future.succeededFuture();
      for (int b = lane; b < batches.size(); b += writers) {
        List<Product> chunk = batches.get(b);
        f = f.compose(v -> upsert.write("bench", 1, 0, chunk, List.of()).mapEmpty());
      }
      lanes.add(f);
    }
    Future.all(lanes).await();
    return all.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static List<Product> products(int n, String variant) {
    List<Product> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long reg = 900_000_000L + i;
      out.add(new Product(Integer.toString(i), "PRODUTO " + i + " " + variant, Long.toString(reg),
          List.of(SimCatalogue.ean13("78" + String.format("%010d", reg % 10_000_000_000L))), "LAB " + variant,
          "60874187000184", List.of("dipirona"), "GENÉRICO", "ANALGÉSICOS", "VÁLIDO", "CX " + variant, Instant.EPOCH));
    }
    return out;
  }
}
