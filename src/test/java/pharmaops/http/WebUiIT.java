package pharmaops.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import static org.assertj.core.api.Assertions.assertThat;

/** The web page's files: served without a token, with security and revalidation headers, and nothing else. */
class WebUiIT {
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
  void rootServesThePageWithoutATokenAndWithSecurityHeaders() {
    var r = app.get("/", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/html");
    assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\">").doesNotContain("<script>");
    assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void scriptsAreModulesThatBrowsersRevalidateCheaply() {
    var r = app.get("/js/app.js", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).contains("javascript");
    assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
    String lastModified = r.header("Last-Modified");
    assertThat(lastModified).isNotNull();
    var again = app.send(app.request("/js/app.js", null).header("If-Modified-Since", lastModified).GET().build());
    assertThat(again.status()).isEqualTo(304);
  }

  @Test
  void theApiStillNeedsATokenAndAnswersProblems() {
    var r = app.get("/api/v1/me", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void missingFilesAndEscapesFromTheWebRootAre404() {
    for (String path : new String[] {"/nothing.js", "/../pom.xml", "/%2e%2e/conf/config.json", "/js/../../logback.xml"}) {
      var r = app.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("<configuration").doesNotContain("\"http\"");
    }
  }
}
