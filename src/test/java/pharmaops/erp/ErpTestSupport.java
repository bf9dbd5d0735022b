package pharmaops.erp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.platform.AppConfig;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Shared by the ERP integration tests: a node configured with simulated ERPs, runs, and SQL checks. */
final class ErpTestSupport {
  private ErpTestSupport() {}

  static JsonObject source(String name, String kind, ErpSimulator sim, int priority, int pageSize, int concurrency) {
    return new JsonObject().put("name", name).put("kind", kind).put("baseUrl", sim.baseUrl()).put("priority", priority)
        .put("pageSize", pageSize).put("concurrency", concurrency).put("timeoutMs", 1_000).put("schedule", "0 0 1 1 *");
  }

  /** A node whose erp section is {@code erp}, with {@code env} added to its environment. */
  static TestApp start(JsonObject erp, Map<String, String> env) {
    return startWith(new JsonObject().put("erp", erp), env);
  }

  /** A node with {@code overrides} merged into the test configuration, with {@code env} added to its environment. */
  static TestApp startWith(JsonObject overrides, Map<String, String> env) {
    AppConfig base = TestServices.config(overrides);
    Map<String, String> all = new HashMap<>(base.env());
    all.putAll(env);
    return TestApp.start(AppConfig.from(base.raw(), all));
  }

  /** Triggers a run through the API and waits until it has finished; returns it. */
  static JsonObject run(TestApp app, JsonObject body) {
    var r = app.post("/api/v1/sync/runs", TestApp.ADMIN_TOKEN, body.encode());
    if (r.status() != 202) throw new IllegalStateException("run not accepted: " + r);
    return run(app, r.json().getLong("id"));
  }

  /** Waits until run {@code id} has finished; returns it. */
  static JsonObject run(TestApp app, long id) {
    JsonObject[] done = new JsonObject[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      JsonObject run = app.get("/api/v1/sync/runs/" + id, TestApp.ADMIN_TOKEN).json();
      done[0] = run;
      return !run.getString("state").equals("running") && !run.getString("state").equals("queued");
    });
    return done[0];
  }

  static JsonObject runOf(TestApp app, String... sources) {
    return run(app, new JsonObject().put("sources", new JsonArray(java.util.List.of(sources))));
  }

  static JsonObject outcome(JsonObject run, String source) {
    for (Object o : run.getJsonArray("sources")) {
      if (((JsonObject) o).getString("source").equals(source)) return (JsonObject) o;
    }
    throw new AssertionError("no outcome for " + source + " in " + run.encodePrettily());
  }

  static JsonObject sourceView(TestApp app, String name) {
    for (Object o : app.get("/api/v1/sync/sources", TestApp.ADMIN_TOKEN).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("name").equals(name)) return (JsonObject) o;
    }
    throw new AssertionError("no source " + name);
  }

  /** The first column of the first row of {@code sql} in the node's database. */
  static String scalar(TestApp app, String sql) {
    String url = app.app().config().pg().url().replaceFirst("^postgresql://postgres@", "jdbc:postgresql://");
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static long count(TestApp app, String sql) {
    return Long.parseLong(scalar(app, sql));
  }
}
