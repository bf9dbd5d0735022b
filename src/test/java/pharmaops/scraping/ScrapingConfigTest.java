package pharmaops.scraping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigException;
import pharmaops.platform.ConfigLoader;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScrapingConfigTest {
  static AppConfig app(JsonObject scraping, Map<String, String> env) {
    JsonObject file = ConfigLoader.readFile(Map.of());
    file.getJsonObject("scraping").mergeIn(scraping);
    return AppConfig.from(file, env);
  }

  @Test
  void defaultsAreValidAndTheWuzapiTokenComesFromTheNamedVariable() {
    ScrapingConfig c = ScrapingConfig.from(app(new JsonObject(), Map.of("WUZAPI_TOKEN", "s3cret")));
    assertThat(c.sources()).isEmpty();
    assertThat(c.wuzapiToken()).contains("s3cret");
    assertThat(c.whatsappPerSecond()).isEqualTo(20 / 60.0);
    assertThat(c.maxPageBytes()).isEqualTo(5 << 20);
  }

  @Test
  void aPageSizeCapBelowOneKilobyteIsRejectedWithItsVariable() {
    assertThatThrownBy(() -> ScrapingConfig.from(app(new JsonObject().put("maxPageBytes", 10), Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PHARMAOPS_SCRAPING_MAX_PAGE_BYTES");
  }

  @Test
  void everyBadSourceIsReportedWithItsKeyAndVariable() {
    JsonArray sources = new JsonArray()
        .add(new JsonObject().put("name", "ok").put("url", "https://a.example/x").put("kind", "cards"))
        .add(new JsonObject().put("name", "bad").put("url", "nope").put("kind", "css").put("schedule", "@every 1d"));
    assertThatThrownBy(() -> ScrapingConfig.from(app(new JsonObject().put("sources", sources), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scraping.sources: entry 1: url:")
        .hasMessageContaining("entry 1: schedule:")
        .hasMessageContaining("entry 1: options: 'item' (a CSS selector) is required")
        .hasMessageContaining("PHARMAOPS_SCRAPING_SOURCES");
  }
}
