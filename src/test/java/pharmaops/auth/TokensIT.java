package pharmaops.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TokensIT {
  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void missingOrUnknownTokenIs401WithChallenge() {
    var none = app.get("/api/v1/me", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(app.get("/api/v1/me", "pho_not-a-real-token").status()).isEqualTo(401);
    var basic = app.send(app.request("/api/v1/me", null).header("Authorization", "Basic YTpi").GET().build());
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void tokenWithoutTheRoleIs403() {
    String attendant = app.tokenWithRoles("attendant");
    var r = app.get("/api/v1/tokens", attendant);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().getString("detail")).contains("admin").contains("attendant");
  }

  @Test
  void createdTokenWorksUntilRevokedAndIsNeverListedInClear() {
    var created = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN,
        new JsonObject().put("subject", "maria@sac").put("roles", new JsonArray().add("attendant").add("analyst")).encode());
    assertThat(created.status()).isEqualTo(201);
    String token = created.json().getString("token");
    String id = created.json().getString("id");
    assertThat(token).startsWith("pho_").hasSizeGreaterThan(40);

    var me = app.get("/api/v1/me", token).json();
    assertThat(me.getString("subject")).isEqualTo("maria@sac");
    assertThat(me.getJsonArray("roles").getList()).containsExactly("analyst", "attendant");

    var listed = app.get("/api/v1/tokens", TestApp.ADMIN_TOKEN);
    assertThat(listed.body()).contains(id).doesNotContain(token);

    assertThat(app.delete("/api/v1/tokens/" + id, TestApp.ADMIN_TOKEN).status()).isEqualTo(204);
    assertThat(app.get("/api/v1/me", token).status()).as("revocation takes effect at once").isEqualTo(401);
    assertThat(app.get("/api/v1/tokens", TestApp.ADMIN_TOKEN).body()).doesNotContain(id);
    assertThat(app.get("/api/v1/tokens?includeRevoked=true", TestApp.ADMIN_TOKEN).body()).contains(id);
  }

  @Test
  void badTokenRequestsAreExplained() {
    var noRoles = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "{\"subject\":\"x\",\"roles\":[]}");
    assertThat(noRoles.status()).isEqualTo(400);
    var badRole = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "{\"subject\":\"x\",\"roles\":[\"root\"]}");
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().getString("detail")).contains("root");
    var wrongType = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "{\"subject\":42,\"roles\":[\"admin\"]}");
    assertThat(wrongType.json().getString("detail")).contains("'subject' must be a string");
    var sqlish = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "{\"subject\":\"x'; DROP TABLE api_token;--\",\"roles\":[\"admin\"]}");
    assertThat(sqlish.status()).isEqualTo(400);
    var array = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN, "[1,2]");
    assertThat(array.json().getString("detail")).contains("must be a JSON object");
  }

  @Test
  void revokingUnknownOrMalformedIdsIs404() {
    assertThat(app.delete("/api/v1/tokens/" + UUID.randomUUID(), TestApp.ADMIN_TOKEN).status()).isEqualTo(404);
    assertThat(app.delete("/api/v1/tokens/1%20OR%201=1", TestApp.ADMIN_TOKEN).status()).isEqualTo(404);
  }
}
