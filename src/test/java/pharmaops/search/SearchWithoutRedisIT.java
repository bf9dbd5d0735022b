package pharmaops.search;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.EmbeddedServices;
import pharmaops.support.TestApp;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis is a cache, never a dependency: with nothing listening on its port, search answers from PostgreSQL. */
class SearchWithoutRedisIT {
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    int dead = EmbeddedServices.freePort(); // nothing listens here
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true))
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + dead).put("timeoutMs", 100)));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void searchAndLeafletsStillAnswerAndReadinessSaysDegraded() {
    for (int i = 0; i < 3; i++) { // repeated: misses, then the breaker opens, answers never stop
      var r = app.get("/api/v1/bulas?q=dipiroma", TestApp.ADMIN_TOKEN);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().getJsonArray("items")).isNotEmpty();
      long id = r.json().getJsonArray("items").getJsonObject(0).getLong("id");
      assertThat(app.get("/api/v1/bulas/" + id, TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
    }
    var ready = app.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("DEGRADED");
  }
}
