package pharmaops.platform;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
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

  @Test
  void secretVariablesNamedByEnvKeysAndTheLogLevelsAreNotReportedAsUnknown() {
    JsonObject file = new JsonObject("""
        {"kyc": {"smtp": {"usernameEnv": "PHARMAOPS_KYC_SMTP_USERNAME", "passwordEnv": "PHARMAOPS_KYC_SMTP_PASSWORD"},
                 "webhook": {"tokenEnv": "PHARMAOPS_KYC_WEBHOOK_TOKEN"}},
         "erp": {"sources": [{"name": "a", "userEnv": "PHARMAOPS_ERP_A_USER", "passwordEnv": ""}]}}""");
    List<String> warned = warningsOf(() -> ConfigLoader.overlay(file, Map.of(
        "PHARMAOPS_KYC_SMTP_USERNAME", "u", "PHARMAOPS_KYC_SMTP_PASSWORD", "p", "PHARMAOPS_KYC_WEBHOOK_TOKEN", "t",
        "PHARMAOPS_ERP_A_USER", "erp", "PHARMAOPS_LOG_LEVEL", "DEBUG", "PHARMAOPS_ACCESS_LOG_LEVEL", "WARN",
        "PHARMAOPS_NO_SUCH_KEY", "1")));
    assertThat(warned).hasSize(1);
    assertThat(warned.get(0)).contains("PHARMAOPS_NO_SUCH_KEY");
  }

  @Test
  void aSecretVariableRenamedThroughTheEnvironmentIsKnownByItsNewName() {
    JsonObject file = new JsonObject("{\"kyc\": {\"webhook\": {\"tokenEnv\": \"PHARMAOPS_KYC_WEBHOOK_TOKEN\"}}}");
    List<String> warned = warningsOf(() -> ConfigLoader.overlay(file, Map.of(
        "PHARMAOPS_KYC_WEBHOOK_TOKEN_ENV", "PHARMAOPS_HOOK_SECRET", "PHARMAOPS_HOOK_SECRET", "s")));
    assertThat(warned).isEmpty();
  }

  private static List<String> warningsOf(Runnable r) {
    Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      r.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel().toString().equals("WARN")).map(ILoggingEvent::getFormattedMessage).toList();
  }
}
