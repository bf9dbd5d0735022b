package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.reports.ReportsSupport.seed;
import static pharmaops.reports.ReportsSupport.sql;
import static pharmaops.reports.ReportsSupport.user;

class ReportsIT {
  static TestApp app;
  static String maria;
  static String joao;
  static Path reportsDir;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject()
        .put("jobs", new JsonObject().put("pollIntervalMs", 200).put("leaseSeconds", 2).put("heartbeatSeconds", 1)
            .put("progressIntervalMs", 0))
        .put("reports", new JsonObject().put("chunkSize", 10)));
    maria = user(app, "maria@analytics", "analyst");
    joao = user(app, "joao@analytics", "analyst");
    reportsDir = app.app().config().dataDir().resolve("reports");
    seed(app, "EMS", 55);
    seed(app, "Medley", 20_000);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonObject submit(String token, JsonObject filters) {
    var r = app.post("/api/v1/reports", token, new JsonObject().put("type", "catalogue").put("filters", filters).encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.header("Location")).isEqualTo("/api/v1/reports/" + r.json().getLong("id"));
    return r.json();
  }

  private static JsonObject waitDone(String token, long id) {
    JsonObject view = null;
    for (int i = 0; i < 6; i++) {
      view = app.get("/api/v1/reports/" + id + "?wait=10", token).json();
      if (ReportView.settled(view.getString("state"))) return view;
    }
    throw new AssertionError("report " + id + " did not finish: " + view);
  }

  /** Part files of a report, whatever attempt wrote them. */
  private static List<Path> parts(long id) throws Exception {
    try (var s = Files.list(reportsDir)) {
      return s.filter(p -> p.getFileName().toString().matches("report-" + id + "-a.*\\.csv\\.part")).toList();
    }
  }

  @Test
  void catalogueExportStreamsEveryMatchingRowAsSpreadsheetSafeCsv() throws Exception {
    JsonObject created = submit(maria, new JsonObject().put("manufacturer", "ems"));
    assertThat(created.getString("state")).isIn("queued", "running");
    JsonObject done = waitDone(maria, created.getLong("id"));
    assertThat(done.getString("state")).isEqualTo("succeeded");
    assertThat(done.getLong("rowsWritten")).isEqualTo(55);
    assertThat(done.getInteger("progress")).isEqualTo(100);
    assertThat(done.getJsonObject("filters").getString("manufacturer")).isEqualTo("ems");
    assertThat(done.getString("fileUrl")).isEqualTo("/api/v1/reports/" + done.getLong("id") + "/file");

    var file = app.get(done.getString("fileUrl"), maria);
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.contentType()).startsWith("text/csv");
    List<List<String>> rows = CsvReader.parse(file.body());
    assertThat(rows.get(0)).containsExactly("id", "name", "activeIngredients", "manufacturer", "registration", "category",
        "therapeuticClass", "status", "eans", "presentation", "updatedAt");
    assertThat(rows).hasSize(56);
    assertThat(rows.subList(1, 56)).allSatisfy(r -> assertThat(r).hasSize(11).element(3).isEqualTo("EMS"));
    assertThat(rows.get(10).get(1)).startsWith("'=HYPERLINK(\"http://evil/");
    assertThat(rows.get(7).get(1)).isEqualTo("Dipirona, \"forte\"\nSódica 7");
    assertThat(rows.get(1).get(2)).isEqualTo("dipirona; cafeína");
    assertThat(rows.get(1).get(5)).isEqualTo("GENÉRICO");
    assertThat(parts(done.getLong("id"))).isEmpty();
  }

  @Test
  void fileIsGzippedWhenAskedByParameterOrAcceptEncoding() throws Exception {
    long id = waitDone(maria, submit(maria, new JsonObject().put("manufacturer", "EMS")).getLong("id")).getLong("id");
    String plain = app.get("/api/v1/reports/" + id + "/file", maria).body();

    HttpResponse<byte[]> gz = java.net.http.HttpClient.newHttpClient().send(
        app.request("/api/v1/reports/" + id + "/file?gzip=true", maria).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.statusCode()).isEqualTo(200);
    assertThat(gz.headers().firstValue("Content-Type")).hasValue("application/gzip");
    assertThat(gunzip(gz.body())).isEqualTo(plain);

    HttpResponse<byte[]> enc = java.net.http.HttpClient.newHttpClient().send(
        app.request("/api/v1/reports/" + id + "/file", maria).header("Accept-Encoding", "gzip").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(enc.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gunzip(enc.body())).isEqualTo(plain);

    HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(
        app.request("/api/v1/reports/" + id + "/file", maria).header("Accept-Encoding", "gzip;q=0").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.headers().firstValue("Content-Encoding")).as("q=0 means not gzip").isEmpty();
    assertThat(refused.body()).isEqualTo(plain);
  }

  private static String gunzip(byte[] b) throws Exception {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void onlyTheOwnerOrAnAdminSeesAReportOrItsFile() {
    long id = waitDone(maria, submit(maria, new JsonObject().put("manufacturer", "EMS")).getLong("id")).getLong("id");
    assertThat(app.get("/api/v1/reports/" + id, joao).status()).isEqualTo(404);
    assertThat(app.get("/api/v1/reports/" + id + "/file", joao).status()).isEqualTo(404);
    assertThat(app.delete("/api/v1/reports/" + id, joao).status()).isEqualTo(404);
    assertThat(app.get("/api/v1/reports", joao).body()).doesNotContain("\"id\":" + id + ",");
    assertThat(app.get("/api/v1/reports", maria).json().getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(id);
    assertThat(app.get("/api/v1/reports/" + id, TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
    assertThat(app.get("/api/v1/reports/" + id + "/file", TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
    assertThat(app.get("/api/v1/reports", app.tokenWithRoles("attendant")).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/jobs/" + id, maria).status()).as("the job API is admin only").isEqualTo(403);
  }

  @Test
  void badFiltersAndTypesAre400WithTheReason() {
    var unknown = app.post("/api/v1/reports", maria, "{\"type\":\"catalogue\",\"filters\":{\"colour\":\"red\"}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getString("detail")).contains("colour").contains("manufacturer");
    var date = app.post("/api/v1/reports", maria, "{\"type\":\"catalogue\",\"filters\":{\"updatedSince\":\"yesterday\"}}");
    assertThat(date.status()).isEqualTo(400);
    assertThat(date.json().getString("detail")).contains("updatedSince").contains("ISO-8601");
    var number = app.post("/api/v1/reports", maria, "{\"type\":\"catalogue\",\"filters\":{\"status\":5}}");
    assertThat(number.json().getString("detail")).contains("'status' must be a string");
    var type = app.post("/api/v1/reports", maria, "{\"type\":\"salaries\"}");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.json().getString("detail")).contains("salaries").contains("catalogue");
    assertThat(app.post("/api/v1/reports", maria, "{\"type\":\"catalogue\",\"filters\":[1]}").status()).isEqualTo(400);
    assertThat(app.get("/api/v1/reports/1?wait=9999", maria).status()).isEqualTo(400);
    assertThat(app.get("/api/v1/reports?cursor=x", maria).status()).isEqualTo(400);
  }

  @Test
  void typesListTheirFilters() {
    var items = app.get("/api/v1/reports/types", maria).json().getJsonArray("items");
    JsonObject catalogue = items.getJsonObject(0);
    assertThat(catalogue.getString("type")).isEqualTo("catalogue");
    assertThat(catalogue.getJsonArray("filters").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("manufacturer", "category", "status", "updatedSince");
  }

  @Test
  void updatedSinceFilterKeepsOnlyRecentRows() {
    JsonObject done = waitDone(maria, submit(maria, new JsonObject().put("manufacturer", "EMS")
        .put("updatedSince", Instant.now().minus(Duration.ofMinutes(30)).toString())).getLong("id"));
    assertThat(done.getLong("rowsWritten")).isBetween(28L, 30L);
  }

  @Test
  void cancellingARunningExportStopsItAndLeavesNoFile() throws Exception {
    long id = submit(maria, new JsonObject().put("manufacturer", "Medley")).getLong("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/api/v1/reports/" + id, maria).json().getLong("rowsWritten") > 0);
    var r = app.delete("/api/v1/reports/" + id, maria);
    assertThat(r.status()).isEqualTo(202);
    JsonObject done = waitDone(maria, id);
    assertThat(done.getString("state")).isEqualTo("cancelled");
    assertThat(done.getLong("rowsWritten")).isLessThan(20_000);
    assertThat(done.getString("fileUrl")).isNull();
    assertThat(Files.exists(reportsDir.resolve("report-" + id + ".csv"))).isFalse();
    assertThat(parts(id)).isEmpty();
    assertThat(app.get("/api/v1/reports/" + id + "/file", maria).status()).isEqualTo(409);
  }

  @Test
  void exportOfAWorkerKilledMidFileIsRedoneOnceFromScratch() throws Exception {
    // Exactly what a JVM killed mid-export leaves: a running job whose lease has run out, and half a .part file.
    sql(app, """
        INSERT INTO job (type, payload, owner, state, attempts, locked_by, lease_until, started_at)
        VALUES ('report.export', '{"reportType":"catalogue","filters":{"manufacturer":"EMS"}}', 'maria@analytics',
                'running', 1, 'w-killed', now() - interval '1 second', now() - interval '1 minute')""");
    long id = app.get("/api/v1/reports", maria).json().getJsonArray("items").getJsonObject(0).getLong("id");
    Files.createDirectories(reportsDir);
    Files.writeString(reportsDir.resolve("report-" + id + "-a1-0badf00d.csv.part"), "id,name\r\n1,\"half a cell".repeat(5_000));

    JsonObject done = waitDone(maria, id);
    assertThat(done.getString("state")).isEqualTo("succeeded");
    var job = app.get("/api/v1/jobs/" + id, TestApp.ADMIN_TOKEN).json();
    assertThat(job.getInteger("attempts")).as("re-run once, after the lease expired").isEqualTo(2);
    List<List<String>> rows = CsvReader.parse(app.get("/api/v1/reports/" + id + "/file", maria).body());
    assertThat(rows).hasSize(56);
    assertThat(rows.stream().skip(1).map(r -> r.get(0)).distinct().count()).isEqualTo(55);
    assertThat(parts(id)).as("the killed attempt's part went once the re-run published its file").isEmpty();
  }

  @Test
  void expiredFilesAreRemovedByTheCleanupJobAndAnswered410() throws Exception {
    long id = waitDone(maria, submit(maria, new JsonObject().put("manufacturer", "EMS")).getLong("id")).getLong("id");
    Path file = reportsDir.resolve("report-" + id + ".csv");
    Path fresh = reportsDir.resolve("report-999999.csv");
    Files.writeString(fresh, "id\r\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
    sql(app, "UPDATE job SET result = jsonb_set(result, '{expiresAt}', to_jsonb($1::text)) WHERE id = $2",
        Instant.now().minusSeconds(60).toString(), id);
    assertThat(app.get("/api/v1/reports/" + id, maria).json().getString("fileUrl")).isNull();
    var gone = app.get("/api/v1/reports/" + id + "/file", maria);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.json().getString("detail")).contains("expired at");

    sql(app, "INSERT INTO job (type) VALUES ('report.cleanup')");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
    assertThat(fresh).exists();
  }

  @Test
  void deletingAFinishedReportRemovesItsFileAndItsLink() {
    long id = waitDone(maria, submit(maria, new JsonObject().put("manufacturer", "EMS")).getLong("id")).getLong("id");
    assertThat(app.delete("/api/v1/reports/" + id, maria).status()).isEqualTo(204);
    JsonObject view = app.get("/api/v1/reports/" + id, maria).json();
    assertThat(view.getString("state")).isEqualTo("succeeded");
    assertThat(view.getString("fileUrl")).isNull();
    assertThat(view.getString("deletedAt")).isNotNull();
    var file = app.get("/api/v1/reports/" + id + "/file", maria);
    assertThat(file.status()).isEqualTo(410);
    assertThat(file.json().getString("detail")).contains("was deleted at " + view.getString("deletedAt"));
    assertThat(Files.exists(reportsDir.resolve("report-" + id + ".csv"))).isFalse();
    assertThat(app.delete("/api/v1/reports/" + id, maria).status()).as("again: nothing left to delete").isEqualTo(204);
    assertThat(app.get("/api/v1/reports/" + id, maria).json().getString("deletedAt")).as("first deletion kept")
        .isEqualTo(view.getString("deletedAt"));
    assertThat(app.delete("/api/v1/reports/424242", maria).status()).isEqualTo(404);
  }
}
