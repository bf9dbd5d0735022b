package pharmaops.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
  private static final JsonObject FILE = new JsonObject("""
      {"http": {"port": 8080, "bodyLimitBytes": 1024, "host": "0.0.0.0"},
       "pg": {"url": ""}, "redis": {"url": ""},
       "flags": {"enabled": true, "names": ["a"]}}""");

  @Test
  void envNameIsDerivedFromThePathWithCamelCaseSplit() {
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("PHARMAOPS_HTTP_PORT");
    assertThat(ConfigLoader.envName("http.bodyLimitBytes")).isEqualTo("PHARMAOPS_HTTP_BODY_LIMIT_BYTES");
  }

  @Test
  void environmentOverridesFileWithTheFilesTypes() {
    JsonObject merged = ConfigLoader.overlay(FILE, Map.of(
        "PHARMAOPS_HTTP_PORT", "9090", "PHARMAOPS_FLAGS_ENABLED", "false", "PHARMAOPS_FLAGS_NAMES", "x, y"));
    assertThat(merged.getJsonObject("http").getValue("port")).isEqualTo(9090L);
    assertThat(merged.getJsonObject("flags").getBoolean("enabled")).isFalse();
    assertThat(merged.getJsonObject("flags").getJsonArray("names").getList()).containsExactly("x", "y");
    assertThat(FILE.getJsonObject("http").getInteger("port")).as("the file document is not modified").isEqualTo(8080);
  }

  @Test
  void conventionalAliasesSetTheUrlsButDerivedNamesWin() {
    JsonObject merged = ConfigLoader.overlay(FILE, Map.of("PG_URL", "postgresql://a/b", "REDIS_URL", "redis://r:1"));
    assertThat(merged.getJsonObject("pg").getString("url")).isEqualTo("postgresql://a/b");
    assertThat(merged.getJsonObject("redis").getString("url")).isEqualTo("redis://r:1");
    merged = ConfigLoader.overlay(FILE, Map.of("PG_URL", "postgresql://alias/x", "PHARMAOPS_PG_URL", "postgresql://derived/x"));
    assertThat(merged.getJsonObject("pg").getString("url")).isEqualTo("postgresql://derived/x");
  }

  @Test
  void badEnvironmentValuesAreAllReportedByName() {
    assertThatThrownBy(() -> ConfigLoader.overlay(FILE, Map.of("PHARMAOPS_HTTP_PORT", "80a", "PHARMAOPS_FLAGS_ENABLED", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PHARMAOPS_HTTP_PORT='80a' must be a whole number")
        .hasMessageContaining("PHARMAOPS_FLAGS_ENABLED='maybe' must be true or false");
  }

  @Test
  void unknownPrefixedVariablesAreIgnoredNotFatal() {
    JsonObject merged = ConfigLoader.overlay(FILE, Map.of("PHARMAOPS_NO_SUCH_KEY", "1"));
    assertThat(merged).isEqualTo(FILE);
  }
}
