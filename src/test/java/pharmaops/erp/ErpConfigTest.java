package pharmaops.erp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErpConfigTest {
  static AppConfig app(JsonObject erp, Map<String, String> env) {
    return AppConfig.from(new JsonObject().put("erp", erp), env);
  }

  @Test
  void sourcesTakeDefaultsAndSecretsComeFromTheEnvironment() {
    var erp = new JsonObject().put("sources", new JsonArray().add(new JsonObject().put("name", "matriz").put("kind", "json")
        .put("baseUrl", "https://erp.example/").put("tokenEnv", "MATRIZ_TOKEN"))).put("alertWebhookEnv", "HOOK");
    ErpConfig c = ErpConfig.from(app(erp, Map.of("MATRIZ_TOKEN", "s3cret", "HOOK", "https://hooks.slack.com/x")));
    ErpConfig.Source s = c.sources().get(0);
    assertThat(s.baseUrl()).isEqualTo("https://erp.example");
    assertThat(s.token()).contains("s3cret");
    assertThat(s.schedule()).isEqualTo("0 * * * *");
    assertThat(s.pageSize()).isEqualTo(500);
    assertThat(s.maxPageBytes()).isEqualTo(32 << 20);
    assertThat(c.alertWebhookUrl()).contains("https://hooks.slack.com/x");
  }

  @Test
  void everyBadValueIsReportedWithItsKey() {
    var erp = new JsonObject().put("sources", new JsonArray()
        .add(new JsonObject().put("name", "Bad Name").put("kind", "soap").put("baseUrl", "ftp://x").put("schedule", "every day")
            .put("tokenEnv", "MISSING_TOKEN").put("pageSize", 0).put("maxPageBytes", 10))
        .add(new JsonObject().put("name", "dup").put("kind", "csv").put("baseUrl", "http://a"))
        .add(new JsonObject().put("name", "dup").put("kind", "csv").put("baseUrl", "http://a"))
        .add("not an object"));
    assertThatThrownBy(() -> ErpConfig.from(app(erp, Map.of()))).isInstanceOf(ConfigException.class).satisfies(e -> {
      String m = e.getMessage();
      assertThat(m).contains("erp.sources[0].name: must be 1-40 of a-z").contains("erp.sources[0].kind: must be one of")
          .contains("erp.sources[0].baseUrl: must be an http(s) URL").contains("erp.sources[0].schedule: must be a cron")
          .contains("erp.sources[0].tokenEnv: names environment variable MISSING_TOKEN, which is not set")
          .contains("erp.sources[0].pageSize: must be between 1 and 10000")
          .contains("erp.sources[0].maxPageBytes: must be between 1024 and 1073741824")
          .contains("erp.sources[0].kind: must be one of [csv, json, xml], got 'soap'")
          .contains("erp.sources[2].name: 'dup' is used by two sources").contains("erp.sources[3]: must be an object");
    });
  }
}
