package pharmaops.search;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may search, and what a bad query gets back: a 400 problem that says what to fix. */
class SearchInputIT {
  static TestApp app;
  static String attendant;
  static String analyst;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true)));
    attendant = app.tokenWithRoles("attendant");
    analyst = app.tokenWithRoles("analyst");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static TestApp.Resp get(String q) {
    return app.get("/api/v1/bulas?" + q, attendant);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void assertBadRequest(TestApp.Resp r, String detailContains) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().getString("detail")).contains(detailContains);
  }

  @Test
  void searchNeedsATokenAndTheAttendantRole() {
    assertThat(app.get("/api/v1/bulas?q=dipirona", null).status()).isEqualTo(401);
    assertThat(app.get("/api/v1/bulas?q=dipirona", "not-a-token").status()).isEqualTo(401);
    assertThat(app.get("/api/v1/bulas?q=dipirona", analyst).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/bulas/1", analyst).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/bulas?q=dipirona", TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
  }

  @Test
  void emptyOrMissingQueryIs400() {
    assertBadRequest(get("q="), "'q' is required");
    assertBadRequest(get("size=5"), "'q' is required");
    assertBadRequest(get("q=" + enc("   ")), "'q' is required");
  }

  @Test
  void tooLongQueryIs400() {
    assertBadRequest(get("q=" + "a".repeat(201)), "limit is 200");
  }

  @Test
  void tenKilobyteQueryIs400NotAnOpaqueUriError() {
    assertBadRequest(get("q=" + "dipirona+".repeat(1200)), "limit is 200");
  }

  @Test
  void onlyPunctuationIs400() {
    assertBadRequest(get("q=" + enc("...,,,")), "at least two letters or digits");
    assertBadRequest(get("q=" + enc("?!")), "found '?'");
  }

  @Test
  void sqlFragmentsAre400AndChangeNothing() {
    assertBadRequest(get("q=" + enc("'; DROP TABLE bula; --")), "found");
    assertBadRequest(get("q=" + enc("dipirona' OR '1'='1")), "found '''");
    assertBadRequest(get("q=" + enc("x) UNION SELECT password FROM api_tokens --")), "found '--'");
    assertThat(get("q=dipirona").json().getJsonArray("items")).isNotEmpty();
  }

  @Test
  void badPagingIs400() {
    assertBadRequest(get("q=dipirona&page=-1"), "'page' must be a whole number from 1");
    assertBadRequest(get("q=dipirona&page=abc"), "'page'");
    assertBadRequest(get("q=dipirona&size=0"), "'size' must be a whole number from 1 to 50");
    assertBadRequest(get("q=dipirona&size=1000"), "'size'");
    assertBadRequest(get("q=dipirona&cursor=bm90LWEtY3Vyc29y"), "'cursor' is not a cursor");
    assertBadRequest(get("q=dipirona&cursor=%25%25%25"), "'cursor' is not a cursor");
  }

  @Test
  void onlyAdminsMayBypassTheCache() {
    assertThat(get("q=dipirona&cache=false").status()).isEqualTo(403);
    assertThat(app.get("/api/v1/bulas?q=dipirona&cache=false", TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
    assertBadRequest(get("q=dipirona&cache=maybe"), "'cache' must be true or false");
  }

  @Test
  void aQueryThatMatchesNothingIsAnEmptyPageNotAnError() {
    var r = get("q=" + enc("xyzzyqwv"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getJsonArray("items")).isEmpty();
    assertThat(r.json().containsKey("next")).isTrue();
    assertThat(r.json().getValue("next")).isNull();
  }
}
