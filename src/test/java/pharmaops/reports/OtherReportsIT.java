package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static pharmaops.reports.ReportsSupport.sql;
import static pharmaops.reports.ReportsSupport.user;

/** The KYC status, sync runs and scraped tasks reports: each one query over its capability's tables. */
class OtherReportsIT {
  static TestApp app;
  static String analyst;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("jobs", new JsonObject().put("pollIntervalMs", 200)));
    analyst = user(app, "ana@analytics", "analyst");
    sql(app, "INSERT INTO kyc_customer (id, email, name, status, verified) VALUES "
        + "(1, 'a@x.br', 'Ana', 'active', true), (2, 'b@x.br', 'Bruno', 'active', false), (3, 'c@x.br', 'Carla', 'closed', true),"
        + " (4, 'd@x.br', 'Dora', 'active', true)");
    sql(app, "INSERT INTO kyc_customer_attribute VALUES (1, 'verification_due_date', '2026-12-01')");
    sql(app, "INSERT INTO kyc_document VALUES (1, 'proof_of_address', 'missing', now()), (1, 'id_front', 'approved', now()),"
        + " (3, 'id_front', 'rejected', now()),"
        + " (4, 'id_front', 'approved', now()), (4, 'id_back', 'submitted', now()), (4, 'proof_of_address', 'approved', now())");
    sql(app, "INSERT INTO erp_sync_run (trigger, full_sync, state, started_at, finished_at) VALUES "
        + "('manual', true, 'partial', now(), now()), ('schedule', false, 'succeeded', now(), now())");
    sql(app, "INSERT INTO erp_sync_outcome (run_id, source, state, fetched, inserted, error, started_at, finished_at) VALUES "
        + "(1, 'alpha', 'succeeded', 10, 10, null, now(), now()), (1, 'beta', 'failed', 0, 0, 'breaker open', now(), now())");
    sql(app, "INSERT INTO scraping_source (name, url, kind, schedule, interval_ms, rate_per_second) VALUES "
        + "('gincana-centro', 'http://127.0.0.1:1/', 'cards', '@every 30s', 30000, 1), ('gincana-sul', 'http://127.0.0.1:2/', 'table', '@every 30s', 30000, 1)");
    sql(app, "INSERT INTO scraping_item (source_id, identity, title, body, link, fingerprint) VALUES "
        + "(1, 'a', 'Tarefa 1: foto com o mascote', 'Enviar até 18h', 'http://x/1', 'f1'), (2, 'b', 'Tarefa 2', null, null, 'f2')");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static List<List<String>> export(String type, JsonObject filters) {
    var r = app.post("/api/v1/reports", analyst, new JsonObject().put("type", type).put("filters", filters).encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    long id = r.json().getLong("id");
    JsonObject view = null;
    for (int i = 0; i < 6 && (view == null || !ReportView.settled(view.getString("state"))); i++) {
      view = app.get("/api/v1/reports/" + id + "?wait=10", analyst).json();
    }
    assertThat(view.getString("state")).as(view.encode()).isEqualTo("succeeded");
    return CsvReader.parse(app.get("/api/v1/reports/" + id + "/file", analyst).body());
  }

  @Test
  void kycStatusListsPendingDocumentsAndFiltersByPending() {
    var rows = export("kyc-status", new JsonObject().put("pending", "true"));
    assertThat(rows.get(0)).startsWith("id", "name", "email");
    // pending as the reminders see it: required kinds never sent count too (id_back of Ana, everything of Bruno)
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1)).containsExactly("1", "Ana", "a@x.br", "active", "true", "", "2026-12-01",
        "id_back:missing; proof_of_address:missing", "");
    assertThat(rows.get(2).get(7)).isEqualTo("id_back:missing; id_front:missing; proof_of_address:missing");
    assertThat(rows.get(3).get(7)).isEqualTo("id_back:missing; id_front:rejected; proof_of_address:missing");
    var complete = export("kyc-status", new JsonObject().put("pending", "false"));
    assertThat(complete).hasSize(2);
    assertThat(complete.get(1).subList(0, 2)).containsExactly("4", "Dora");
    assertThat(complete.get(1).get(7)).isEmpty();
  }

  @Test
  void syncRunsHaveOneRowPerRunAndErp() {
    var rows = export("sync-runs", new JsonObject());
    assertThat(rows).hasSize(4); // header, run 1 × 2 ERPs, run 2 with no outcome yet
    assertThat(rows.get(2).subList(0, 6)).containsExactly("1", "manual", "true", "partial", "beta", "failed");
    assertThat(rows.get(2).get(11)).isEqualTo("breaker open");
    assertThat(export("sync-runs", new JsonObject().put("state", "succeeded"))).hasSize(2);
  }

  @Test
  void scrapedTasksFilterBySource() {
    var rows = export("scraped-tasks", new JsonObject().put("source", "GINCANA-CENTRO"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).subList(0, 5)).containsExactly("1", "gincana-centro", "Tarefa 1: foto com o mascote", "Enviar até 18h", "http://x/1");
  }

  @Test
  void enumFiltersRejectOtherValues() {
    var r = app.post("/api/v1/reports", analyst, new JsonObject().put("type", "sync-runs")
        .put("filters", new JsonObject().put("state", "exploded")).encode());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("detail")).contains("state");
  }
}
