package pharmaops.erp;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.platform.AppConfig;
import pharmaops.platform.Metrics;
import pharmaops.platform.Platform;
import pharmaops.support.FakeHttpServer;
import pharmaops.support.TestServices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ERP sync benchmark: {@code erps} simulated ERPs (json, xml, csv, json...) of {@code products} products each,
 * {@code latencyMs} per page, page size {@code pageSize}, synced through the real worker (no job engine, so
 * queueing does not blur the figures). Prints each phase and the ratios the issue asks for, all measured in
 * this run: (a) concurrent vs slowest alone, (b) sequential vs concurrent, (c) upsert rows/s, (d) incremental
 * with 1% changed vs full. (a) and (b) are measured with one lane per ERP and with {@code lanes} (the default
 * configuration): more lanes make every sync faster, alone and together, but on 2 shared cores the concurrent
 * run then becomes CPU-bound, which the ratios count against it.
 * Usage: ErpBench [erps=4] [products=25000] [latencyMs=50] [pageSize=500] [lanes=2]
 */
public final class ErpBench {
  private static final String[] KINDS = {"json", "xml", "csv", "json"};
  private static final int WARM_UPS = 3;

  /** Wall times of one lane setting: each ERP alone, their sum, and all at once. */
  record Walls(int lanes, double[] alone, double sequential, double concurrent) {
    double slowest() {
      return java.util.Arrays.stream(alone).max().orElseThrow();
    }
  }

  public static void main(String[] args) throws Exception {
    int erps = arg(args, 0, 4);
    int products = arg(args, 1, 25_000);
    int latency = arg(args, 2, 50);
    int pageSize = arg(args, 3, 500);
    int lanes = arg(args, 4, 2);
    Vertx sims = Vertx.vertx();
    List<ErpSimulator> servers = new ArrayList<>();
    for (int i = 0; i < erps; i++) {
      var sim = (ErpSimulator) new ErpSimulator(sims, KINDS[i % KINDS.length],
          SimCatalogue.synthetic(products, 100_000_000L + i * 1_000_000L, i)).start();
      sim.faults(FakeHttpServer.Faults.NONE.latency(latency));
      servers.add(sim);
    }
    AppConfig config = config(servers, pageSize, lanes);
    var registry = Metrics.newRegistry();
    Vertx vertx = Vertx.vertx();
    Platform platform = Platform.connect(vertx, config, config.pg().url(), config.redis().url(), registry);
    SyncStore store = new SyncStore(platform.pool());
    try {
      System.out.printf("erp bench: %d ERPs x %,d products, %d ms per page, page size %d%n", erps, products, latency, pageSize);
      Walls one = walls(vertx, platform, store, config(servers, pageSize, 1), erps, WARM_UPS);
      Walls many = walls(vertx, platform, store, config, erps, 1);
      String sync = deploy(vertx, platform, config);
      reset(platform);
      double concurrent = run(vertx, store, true, List.of());
      long rows = count(platform, "SELECT count(*) FROM bula");
      System.out.printf("  concurrent, %d lanes, again: %6.2f s (%,d rows)%n", lanes, concurrent, rows);
      // Writers only mark rows; the search module builds their documents right after (V15). Measured here, not hidden.
      long ti = System.nanoTime();
      int indexed = pharmaops.search.SearchIndex.catchUp(vertx, platform.pool()).await();
      double indexing = (System.nanoTime() - ti) / 1e9;
      System.out.printf("  search documents of the synced rows, built after the run: %,d rows in %.2f s (synced and searchable: %.2f s)%n",
          indexed, indexing, concurrent + indexing);
      double rerun = run(vertx, store, true, List.of());
      System.out.printf("  full rerun (idempotent, 0 written):     %6.2f s%n", rerun);
      for (ErpSimulator s : servers) s.change(1);
      double incremental = run(vertx, store, false, List.of());
      System.out.printf("  incremental, 1%% changed per ERP:        %6.2f s%n", incremental);
      vertx.undeploy(sync).await();
      double[] ref = UpsertBench.reference(platform.pool(), 100_000, pageSize);
      double[] single = UpsertBench.measure(platform.pool(), 100_000, pageSize, 1, "1");
      double[] upsert = UpsertBench.measure(platform.pool(), 100_000, pageSize, 4, "4");
      System.out.printf("  reference: bare unnest upsert, plain 6-column table, %d rows/statement, 1 connection: insert %,.0f rows/s, update %,.0f rows/s%n",
          pageSize, ref[0], ref[1]);
      System.out.printf("  catalogue upsert, %d rows/statement, 1 writer:  insert %,.0f rows/s, update %,.0f rows/s%n", pageSize, single[0], single[1]);
      System.out.printf("  catalogue upsert, %d rows/statement, 4 writers: insert %,.0f rows/s, update %,.0f rows/s%n",
          pageSize, upsert[0], upsert[1]);
      System.out.printf("  sync end to end: %,.0f rows/s%n", rows / concurrent);
      for (Walls w : List.of(one, many)) {
        System.out.printf("(a) %d lane%s: concurrent / slowest alone = %.2f (goal <= 1.25)%n", w.lanes(), w.lanes() == 1 ? " " : "s",
            w.concurrent() / w.slowest());
        System.out.printf("(b) %d lane%s: sequential / concurrent    = %.2f (goal >= 3.5)%n", w.lanes(), w.lanes() == 1 ? " " : "s",
            w.sequential() / w.concurrent());
      }
      System.out.printf("(c) upsert                     = %,.0f rows/s insert, %,.0f rows/s update (goal >= 50,000);"
          + " %.2f / %.2f of this run's bare unnest reference%n", upsert[0], upsert[1], upsert[0] / ref[0], upsert[1] / ref[1]);
      System.out.printf("(d) incremental / full         = %.3f (goal <= 0.10)%n", incremental / concurrent);
      for (Walls w : List.of(one, many)) {
        result("erp_lanes" + w.lanes() + "_concurrent_over_slowest_alone", w.concurrent() / w.slowest(), "none");
        result("erp_lanes" + w.lanes() + "_sequential_over_concurrent", w.sequential() / w.concurrent(), "none");
        result("erp_lanes" + w.lanes() + "_concurrent_s", w.concurrent(), "none");
      }
      result("erp_upsert_insert_rows_per_s", upsert[0], "upsert_unnest500_insert");
      result("erp_upsert_update_rows_per_s", upsert[1], "upsert_unnest500_update");
      result("erp_upsert_insert_over_reference", upsert[0] / ref[0], "none");
      result("erp_sync_rows_per_s", rows / concurrent, "upsert_unnest500_insert");
      result("erp_incremental_over_full", incremental / concurrent, "none");
      result("erp_search_index_after_sync_s", indexing, "none");
    } finally {
      platform.close().await();
      vertx.close().await();
      sims.close().await();
    }
    System.exit(0);
  }

  private static AppConfig config(List<ErpSimulator> servers, int pageSize, int lanes) {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < servers.size(); i++) {
      sources.add(new JsonObject().put("name", "erp" + i).put("kind", KINDS[i % KINDS.length]).put("baseUrl", servers.get(i).baseUrl())
          .put("pageSize", pageSize).put("concurrency", lanes).put("timeoutMs", 30_000).put("priority", 10 + i));
    }
    return TestServices.config(new JsonObject().put("pg", new JsonObject().put("poolSize", 8))
        .put("erp", new JsonObject().put("sources", sources).put("freshnessMinutes", 0)));
  }

  /** The sync worker as ErpModule deploys it, with these sources. */
  private static String deploy(Vertx vertx, Platform platform, AppConfig config) {
    return vertx.deployVerticle(new SyncVerticle(platform, ErpConfig.from(config)), ErpModule.syncDeployment()).await();
  }

  /** Each ERP alone, then all at once, every phase from an empty catalogue, after {@code warmUps} concurrent syncs. */
  private static Walls walls(Vertx vertx, Platform platform, SyncStore store, AppConfig config, int erps, int warmUps)
      throws Exception {
    int lanes = ErpConfig.from(config).sources().get(0).concurrency();
    String sync = deploy(vertx, platform, config);
    // Warm-up: full concurrent syncs until the JIT has compiled every adapter's path. On 2 cores a cold JVM spends
    // more CPU compiling than syncing (18 s of C2 time in one cold run), which would be measured as sync time.
    for (int i = 1; i <= warmUps; i++) {
      reset(platform);
      System.out.printf("  %d lane%s  warm-up %d, all ERPs at once: %6.2f s%n", lanes, lanes == 1 ? " " : "s", i,
          run(vertx, store, true, List.of()));
    }
    double[] alone = new double[erps];
    double sequential = 0;
    for (int i = 0; i < erps; i++) {
      reset(platform);
      alone[i] = run(vertx, store, true, List.of("erp" + i));
      sequential += alone[i];
      System.out.printf("  %d lane%s  alone erp%d (%s):          %6.2f s%n", lanes, lanes == 1 ? " " : "s", i, KINDS[i % KINDS.length], alone[i]);
    }
    reset(platform);
    double concurrent = run(vertx, store, true, List.of());
    System.out.printf("  %d lane%s  sequential (sum of alone):  %6.2f s%n", lanes, lanes == 1 ? " " : "s", sequential);
    System.out.printf("  %d lane%s  concurrent (all at once):   %6.2f s%n", lanes, lanes == 1 ? " " : "s", concurrent);
    vertx.undeploy(sync).await();
    return new Walls(lanes, alone, sequential, concurrent);
  }

  private static void result(String name, double value, String ceiling) {
    System.out.println(String.format(Locale.ROOT, "RESULT %s %.3f %s", name, value, ceiling));
  }

  /** One run through the sync worker; returns its wall time in seconds and fails unless every ERP succeeded. */
  static double run(Vertx vertx, SyncStore store, boolean full, List<String> sources) throws Exception {
    long runId = store.createRun("manual", full, sources, "bench", false).await();
    long t0 = System.nanoTime();
    JsonObject run = vertx.eventBus().<JsonObject>request(ErpEvents.EXECUTE, new JsonObject().put("runId", runId),
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(TimeUnit.MINUTES.toMillis(10))).await().body();
    double s = (System.nanoTime() - t0) / 1e9;
    if (!run.getString("state").equals("succeeded")) throw new IllegalStateException("run failed: " + run.encodePrettily());
    return s;
  }

  static void reset(Platform platform) {
    platform.pool().query("TRUNCATE bula, bula_search, search_pending, erp_source_state, erp_quarantine").execute().await();
  }

  static long count(Platform platform, String sql) {
    return platform.pool().query(sql).execute().await().iterator().next().getLong(0);
  }

  private static int arg(String[] args, int i, int def) {
    return args.length > i ? Integer.parseInt(args[i]) : def;
  }

  private ErpBench() {}
}
