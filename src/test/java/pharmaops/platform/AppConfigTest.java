package pharmaops.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
  private static JsonObject defaults() {
    return ConfigLoader.readFile(Map.of());
  }

  @Test
  void shippedDefaultsAreValidAndUseEmbeddedServers() {
    AppConfig c = AppConfig.from(defaults(), Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.pg().embedded()).isTrue();
    assertThat(c.redis().embedded()).isTrue();
    assertThat(c.auth().adminToken()).isEmpty();
  }

  @Test
  void everyBadValueIsReportedAtOnceWithItsVariable() {
    JsonObject json = defaults();
    json.getJsonObject("http").put("port", 70000);
    json.getJsonObject("pg").put("url", "mysql://x/y");
    json.getJsonObject("log").put("format", "xml");
    assertThatThrownBy(() -> AppConfig.from(json, Map.of("PHARMAOPS_ADMIN_TOKEN", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port: must be between 0 and 65535, got 70000")
        .hasMessageContaining("PHARMAOPS_HTTP_PORT")
        .hasMessageContaining("pg.url: must look like")
        .hasMessageContaining("log.format: must be one of")
        .hasMessageContaining("PHARMAOPS_ADMIN_TOKEN: must be at least 16 characters");
  }

  @Test
  void aWrongTypeInTheFileIsAProblemNotACrash() {
    JsonObject json = defaults();
    json.getJsonObject("http").put("port", "eighty");
    assertThatThrownBy(() -> AppConfig.from(json, Map.of())).hasMessageContaining("http.port: must be a whole number");
  }

  @Test
  void aReadinessDelayNotShorterThanTheShutdownDeadlineIsAProblem() {
    JsonObject json = defaults();
    json.getJsonObject("shutdown").put("deadlineSeconds", 2).put("readinessDelayMs", 2000);
    assertThatThrownBy(() -> AppConfig.from(json, Map.of()))
        .hasMessageContaining("shutdown.readinessDelayMs: must be shorter than shutdown.deadlineSeconds (2 s)")
        .hasMessageContaining("PHARMAOPS_SHUTDOWN_READINESS_DELAY_MS");
    json.getJsonObject("shutdown").put("readinessDelayMs", 1999);
    assertThat(AppConfig.from(json, Map.of()).shutdownReadinessDelayMs()).isEqualTo(1999);
  }

  @Test
  void passwordsAreRedactedFromUrls() {
    assertThat(AppConfig.redact("postgresql://app:s3cret@db:5432/x")).isEqualTo("postgresql://app:***@db:5432/x");
  }
}
