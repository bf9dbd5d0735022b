package pharmaops.reports;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.vertx.sqlclient.Tuple;
import pharmaops.jobs.JobContext;
import pharmaops.support.TestApp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The export handler run directly, with attempts of one job that overlap (as after a lost lease or a release). */
class ExportAttemptsIT {
  static TestApp app;
  static Path dir;
  static ReportFiles files;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start();
    ReportsSupport.seed(app, "Medley", 5_000);
    dir = Files.createTempDirectory("export-attempts");
    files = new ReportFiles(app.app().vertx(), dir, Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /**
   * One attempt as the engine would hand it over: progress waits for {@code go}; checkpoint says whether it is
   * still ours and keeps what it was told.
   */
  private record Attempt(long id, int attempt, JsonObject payload, Future<Void> go, boolean stillOurs, AtomicInteger reports,
                         AtomicReference<JsonObject> last) implements JobContext {
    Attempt(long id, int attempt, String reportType, JsonObject filters, Future<Void> go, boolean stillOurs) {
      this(id, attempt, new JsonObject().put("reportType", reportType).put("filters", filters), go, stillOurs,
          new AtomicInteger(), new AtomicReference<>());
    }

    @Override
    public String type() {
      return "report.export";
    }

    @Override
    public String owner() {
      return "maria@analytics";
    }

    @Override
    public boolean cancelRequested() {
      return false;
    }

    @Override
    public Future<Void> progress(int percent, JsonObject details) {
      reports.incrementAndGet();
      return go;
    }

    @Override
    public Future<Void> checkpoint(int percent, JsonObject details) {
      last.set(details);
      return stillOurs ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException("job " + id + " lease lost"));
    }
  }

  private static <T> CompletableFuture<T> onContext(Context ctx, Supplier<Future<T>> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    ctx.runOnContext(v -> f.get().onComplete(ar -> {
      if (ar.succeeded()) out.complete(ar.result());
      else out.completeExceptionally(ar.cause());
    }));
    return out;
  }

  private static List<Path> parts(long id) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("report-" + id + "-")).toList();
    }
  }

  @Test
  void attemptThatLostItsLeaseNeitherSpoilsNorReplacesTheSurvivorsFile() throws Exception {
    var vertx = app.app().vertx();
    var handler = new ExportHandler(vertx, app.app().platform().pool(), ReportTypes.standard(), files, 500);
    long id = 990_001;
    Context zombieCtx = vertx.getOrCreateContext();
    Promise<Void> resume = Promise.promise();
    JsonObject medley = new JsonObject().put("manufacturer", "Medley");
    var zombie = new Attempt(id, 1, "catalogue", medley, resume.future(), false);
    var zombieRun = onContext(zombieCtx, () -> handler.run(zombie));
    await().atMost(Duration.ofSeconds(10)).until(() -> zombie.reports().get() == 1); // paused after its first chunk
    // The data changes meanwhile: the zombie (reading its older snapshot) would write other bytes than the survivor.
    ReportsSupport.sql(app, "UPDATE bula SET name = 'Renamed product ' || id WHERE manufacturer = 'Medley'");

    var survivor = new Attempt(id, 2, "catalogue", medley, Future.succeededFuture(), true);
    JsonObject result = onContext(vertx.getOrCreateContext(), () -> handler.run(survivor)).get(60, TimeUnit.SECONDS);
    assertThat(result.getLong("rows")).isEqualTo(5_000);
    Path published = dir.resolve(result.getString("file"));
    String whole = Files.readString(published);

    zombieCtx.runOnContext(v -> resume.complete()); // the attempt that lost its job writes on, to the end
    assertThat(zombieRun).failsWithin(Duration.ofSeconds(60)).withThrowableThat().withMessageContaining("lease lost");
    assertThat(Files.readString(published)).as("untouched by the other attempt").isEqualTo(whole);
    List<List<String>> rows = CsvReader.parse(whole);
    assertThat(rows).hasSize(5_001);
    assertThat(rows.stream().skip(1).map(r -> r.get(0)).distinct().count()).isEqualTo(5_000);
    assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("Renamed product " + r.get(0)));
    assertThat(parts(id)).as("no part file left by either attempt").isEmpty();
  }

  @Test
  void totalRowsCountsTheSameSnapshotTheFileIsWrittenFrom() throws Exception {
    var vertx = app.app().vertx();
    var pool = app.app().platform().pool();
    ReportsSupport.sql(app, "CREATE TABLE export_probe (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)");
    ReportsSupport.sql(app, "INSERT INTO export_probe (v) SELECT 'row ' || g FROM generate_series(1, 20000) g");
    ReportType probe = new ReportType() {
      public String name() {
        return "probe";
      }

      public List<String> columns() {
        return List.of("id", "v");
      }

      public List<ReportFilter> filters() {
        return List.of();
      }

      public String sql() {
        return "SELECT id::text, v FROM export_probe ORDER BY export_probe.id";
      }

      public Tuple params(JsonObject filters) {
        return Tuple.tuple();
      }
    };
    var handler = new ExportHandler(vertx, pool, new ReportTypes(List.of(probe)), files, 1000);
    // Rows keep arriving while the export counts and streams.
    long writer = vertx.setPeriodic(2, t -> pool.query("INSERT INTO export_probe (v) VALUES ('late')").execute());
    var job = new Attempt(990_002, 1, "probe", new JsonObject(), Future.succeededFuture(), true);
    JsonObject result;
    try {
      result = onContext(vertx.getOrCreateContext(), () -> handler.run(job)).get(60, TimeUnit.SECONDS);
    } finally {
      vertx.cancelTimer(writer);
    }
    assertThat(job.last().get().getLong("totalRows")).isEqualTo(result.getLong("rows"));
    assertThat(CsvReader.parse(Files.readString(dir.resolve(result.getString("file"))))).hasSize(result.getInteger("rows") + 1);
  }
}
