package pharmaops.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class HttpBasicsIT {
  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("http", new JsonObject().put("bodyLimitBytes", 4096)));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void healthNeedsNoTokenAndReadyChecksBothServers() {
    assertThat(app.get("/health/live", null).status()).isEqualTo(200);
    var ready = app.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(ready.json().getJsonObject("checks").fieldNames()).contains("postgresql", "redis");
  }

  @Test
  void metricsArePrometheusTextWithRouteLabels() {
    app.get("/health/live", null);
    var m = app.get("/metrics", null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body()).contains("vertx_http_server_requests_total").contains("route=\"/health/live\"");
  }

  @Test
  void unknownPathIsAProblemDocument() {
    var r = app.get("/api/v1/nothing-here", TestApp.ADMIN_TOKEN);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().getString("detail")).isNotBlank();
    assertThat(r.json().getString("requestId")).isEqualTo(r.header("X-Request-Id"));
  }

  @Test
  void wrongMethodIs405Problem() {
    var r = app.delete("/api/v1/me", TestApp.ADMIN_TOKEN);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void bodyOverTheLimitIs413AndNothingIsCreated() {
    String huge = new JsonObject().put("subject", "x".repeat(10_000)).put("roles", new io.vertx.core.json.JsonArray().add("admin")).encode();
    var r = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(app.get("/api/v1/tokens", TestApp.ADMIN_TOKEN).json().getJsonArray("items")).isEmpty();
  }

  @Test
  void malformedJsonIs400WithTheParserMessage() {
    var r = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "{\"subject\": \"a\", roles: }");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("detail")).startsWith("The request body is not valid JSON");
  }

  @Test
  void aSaneCallerRequestIdIsKeptAndAnInsaneOneReplaced() {
    var keep = app.send(app.request("/health/live", null).header("X-Request-Id", "abc-123").GET().build());
    assertThat(keep.header("X-Request-Id")).isEqualTo("abc-123");
    var replace = app.send(app.request("/health/live", null).header("X-Request-Id", "<script>").GET().build());
    assertThat(replace.header("X-Request-Id")).isNotEqualTo("<script>").hasSize(36);
  }

  @Test
  void nonJsonContentTypeIs415() {
    var r = app.send(app.request("/api/v1/tokens", TestApp.ADMIN_TOKEN).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("subject=x")).build());
    assertThat(r.status()).isEqualTo(415);
  }
}
