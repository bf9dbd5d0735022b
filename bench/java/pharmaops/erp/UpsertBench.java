package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The catalogue upsert alone: {@code n} new rows, then the same rows changed, in batches, four writers. */
final class UpsertBench {
  private UpsertBench() {}

  /** Returns {insert rows/s, update rows/s}. */
  static double[] measure(Pool pool, int n, int batch) {
    List<Product> fresh = products(n, "A");
    List<Product> changed = products(n, "B");
    double insert = pass(pool, fresh, batch);
    double update = pass(pool, changed, batch);
    return new double[] {insert, update};
  }

  private static double pass(Pool pool, List<Product> all, int batch) {
    CatalogueUpsert upsert = new CatalogueUpsert(pool);
    List<List<Product>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += batch) batches.add(all.subList(i, Math.min(all.size(), i + batch)));
    long t0 = System.nanoTime();
    int writers = 4;
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
