package pharmaops.bench;

import io.vertx.core.json.JsonObject;
import pharmaops.reports.ReportTypes;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A catalogue export of ROWS rows through the whole path (POST /reports, job claim, RowStream in chunks, CSV
 * file, rename) next to {@code psql \copy (the same query) to /dev/null csv} on the same data, in one run. Run
 * it with -Xmx128m: the sampled peak heap shows memory stays flat whatever the row count.
 * Usage: ReportsBench [rows=1000000]
 */
public final class ReportsBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String url = TestServices.freshDatabase();
    String db = url.substring(url.lastIndexOf('/') + 1);
    long t0 = System.nanoTime();
    seed(url, rows);
    System.out.printf("reports: seeded %,d catalogue rows in %.1f s%n", rows, JobsBench.secs(t0));

    String sql = ReportTypes.standard().get("catalogue").sql()
        .replaceAll("\\$[123]\\b", "(NULL::text)").replaceAll("\\$4\\b", "(NULL::timestamptz)").replaceAll("\\s+", " ");
    copy(db, sql); // warm the page cache and the plan

    TestApp app = TestApp.start(new JsonObject().put("pg", new JsonObject().put("url", url)));
    AtomicLong peak = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      var mem = ManagementFactory.getMemoryMXBean();
      while (sampling.get()) {
        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    double cold;
    double warm;
    double copyRate;
    String ratios;
    long bytes;
    try {
      System.gc();
      sampler.start();
      cold = rows / export(app, rows);
      // Rounds interleave COPY and the export and each is the median of its rounds: on 2 shared cores COPY alone
      // moved by 15-25 % from one run to the next, which a best-of-N of each side turns into a lottery.
      double[] copies = new double[ROUNDS];
      double[] exports = new double[ROUNDS];
      StringBuilder perRound = new StringBuilder();
      for (int i = 0; i < ROUNDS; i++) {
        copies[i] = rows / copy(db, sql);
        exports[i] = rows / export(app, rows);
        perRound.append(String.format(java.util.Locale.ROOT, "%.2f ", exports[i] / copies[i]));
      }
      copyRate = median(copies);
      warm = median(exports);
      ratios = perRound.toString().trim();
      sampling.set(false);
      try (var files = Files.list(app.app().config().dataDir().resolve("reports"))) {
        bytes = files.mapToLong(p -> p.toFile().length()).max().orElse(0);
      }
    } finally {
      app.close();
    }
    double peakMb = peak.get() / 1048576.0;
    System.out.printf("reports: psql \\copy (same query) to /dev/null csv   %,.0f rows/s (median of %d rounds)%n", copyRate, ROUNDS);
    System.out.printf("reports: export job, first in a fresh JVM             %,.0f rows/s%n", cold);
    System.out.printf("reports: export job, warm (median of %d rounds)       %,.0f rows/s = %.2f x COPY (per round: %s; goal >= 0.5)%n",
        ROUNDS, warm, warm / copyRate, ratios);
    System.out.printf("reports: file %.1f MB (%.0f B/row); peak sampled heap used %.1f MB of max %d MB%n",
        bytes / 1048576.0, (double) bytes / rows, peakMb, Runtime.getRuntime().maxMemory() / 1048576);
    System.out.printf("RESULT reports_export_rows_per_s %.0f export_psql_devnull_rows_per_s%n", warm);
    System.out.printf("RESULT reports_export_peak_heap_mb %.1f export_java_peak_heap_used%n", peakMb);
    System.exit(0);
  }

  static final int ROUNDS = 3;

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Seconds from submitting the report to its success, checking that every row was written. */
  private static double export(TestApp app, int rows) {
    long t0 = System.nanoTime();
    var created = app.post("/api/v1/reports", TestApp.ADMIN_TOKEN, "{\"type\":\"catalogue\"}");
    if (created.status() != 202) throw new IllegalStateException(created.toString());
    long id = created.json().getLong("id");
    for (int i = 0; i < 60; i++) {
      JsonObject view = app.get("/api/v1/reports/" + id + "?wait=10", TestApp.ADMIN_TOKEN).json();
      String state = view.getString("state");
      if ("succeeded".equals(state)) {
        double s = JobsBench.secs(t0);
        if (view.getLong("rowsWritten") != rows) throw new IllegalStateException("rows written: " + view);
        return s;
      }
      if ("dead".equals(state) || "cancelled".equals(state)) throw new IllegalStateException(view.encode());
    }
    throw new IllegalStateException("export did not finish in 10 minutes");
  }

  private static double copy(String db, String sql) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qX", "-c",
        "\\copy (" + sql + ") to '/dev/null' csv").inheritIO().start();
    if (p.waitFor() != 0) throw new IllegalStateException("psql failed");
    return JobsBench.secs(t0);
  }

  private static void seed(String url, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:" + url.replace("postgres@", ""), "postgres", "");
         Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO bula (name, active_ingredients, manufacturer, registration, category, therapeutic_class, status,
                            eans, presentation, source)
          SELECT 'Produto ' || g || ' comprimido revestido ' || (g % 9 + 1) * 50 || ' mg',
                 ARRAY['dipirona monoidratada', 'cafeína'],
                 (ARRAY['EMS S/A', 'Medley Farmacêutica', 'Eurofarma', 'Aché', 'Neo Química', 'Sanofi'])[g % 6 + 1],
                 lpad(g::text, 13, '0'), (ARRAY['GENÉRICO', 'SIMILAR', 'NOVO'])[g % 3 + 1], 'analgésicos',
                 CASE WHEN g % 10 = 0 THEN 'CADUCO/CANCELADO' ELSE 'VÁLIDO' END,
                 ARRAY['789' || lpad(g::text, 10, '0')], 'caixa com 20 comprimidos, "uso adulto"', 'bench'
          FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(rows)));
      // These synthetic rows are exported, never searched: they need no search documents, and the node's indexer
      // must not spend the exports' CPU building a million of them (V15 queues every inserted row).
      s.execute("TRUNCATE search_pending");
      s.execute("ANALYZE bula");
    }
  }
}
