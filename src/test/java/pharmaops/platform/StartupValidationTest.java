package pharmaops.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.App;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The capability sections are checked before anything starts, and all their problems come in one message. */
class StartupValidationTest {
  private static AppConfig withBadSections(Path dataDir) {
    JsonObject json = ConfigLoader.readFile(Map.of());
    json.put("dataDir", dataDir.toString());
    json.getJsonObject("search").put("maxPageSize", 0);
    json.getJsonObject("erp").put("sources", new JsonArray().add(new JsonObject().put("name", "Bad Name").put("kind", "soap")));
    json.getJsonObject("kyc").put("period", "fortnight");
    json.getJsonObject("reports").put("cleanupCron", "every now and then");
    json.getJsonObject("jobs").put("drainSeconds", 30);
    return AppConfig.from(json, Map.of());
  }

  @Test
  void everyCapabilitysProblemsAreReportedTogether() throws Exception {
    AppConfig config = withBadSections(Files.createTempDirectory("pharmaops-validate"));
    assertThatThrownBy(() -> App.validate(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("search.maxPageSize: must be between 1 and 200")
        .hasMessageContaining("erp.sources[0].name")
        .hasMessageContaining("erp.sources[0].kind")
        .hasMessageContaining("kyc.period: must be one of")
        .hasMessageContaining("reports.cleanupCron")
        .hasMessageContaining("jobs.drainSeconds: must be shorter than shutdown.deadlineSeconds (30)")
        .hasMessageContaining("PHARMAOPS_JOBS_DRAIN_SECONDS");
  }

  @Test
  void theShippedDefaultsPassEveryCapabilitysCheck() {
    App.validate(AppConfig.from(ConfigLoader.readFile(Map.of()), Map.of()));
  }

  @Test
  void aBadSectionFailsTheStartBeforeTheEmbeddedPostgresStarts() throws Exception {
    Path dataDir = Files.createTempDirectory("pharmaops-validate");
    AppConfig config = withBadSections(dataDir);
    assertThat(config.pg().embedded()).isTrue();
    assertThatThrownBy(() -> App.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConfigException.class);
    assertThat(dataDir.resolve("pg")).doesNotExist();
  }
}
