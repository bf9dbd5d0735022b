package pharmaops.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.support.TcpProxy;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReadinessIT {
  @Test
  void readinessIsDown503WhenPostgresqlBecomesUnreachable() {
    URI db = URI.create(TestServices.freshDatabase());
    try (TcpProxy proxy = TcpProxy.start(db.getHost(), db.getPort())) {
      String viaProxy = "postgresql://postgres@127.0.0.1:" + proxy.port() + db.getPath();
      try (TestApp app = TestApp.start(new JsonObject().put("pg", new JsonObject().put("url", viaProxy))
          .put("shutdown", new JsonObject().put("deadlineSeconds", 10)).put("jobs", new JsonObject().put("drainSeconds", 2)))) {
        assertThat(app.get("/health/ready", null).status()).isEqualTo(200);

        proxy.close();

        await("readiness reports PostgreSQL down").atMost(Duration.ofSeconds(10))
            .until(() -> app.get("/health/ready", null).status() == 503);
        JsonObject body = app.get("/health/ready", null).json();
        assertThat(body.getString("status")).isEqualTo("DOWN");
        assertThat(body.getJsonObject("checks").getJsonObject("postgresql").getString("status")).isEqualTo("DOWN");
        assertThat(body.getJsonObject("checks").getJsonObject("redis").getString("status")).isEqualTo("UP");
        assertThat(app.get("/health/live", null).status()).as("the process itself is alive").isEqualTo(200);
      }
    }
  }
}
