package pharmaops.kyc;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigException;
import pharmaops.platform.ConfigLoader;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KycConfigTest {
  static KycConfig load(JsonObject kyc, Map<String, String> env) {
    JsonObject file = ConfigLoader.readFile(Map.of());
    file.put("kyc", file.getJsonObject("kyc").mergeIn(kyc, true));
    return KycConfig.from(AppConfig.from(file, env));
  }

  @Test
  void defaultsAreADailyRunWeeklyRemindersOverSmtp() {
    KycConfig c = load(new JsonObject(), Map.of());
    assertThat(c.schedule()).isEqualTo("0 3 * * *");
    assertThat(c.period()).isEqualTo("week");
    assertThat(c.channel()).isEqualTo("smtp");
    assertThat(c.statuses()).containsExactly("active");
    assertThat(c.smtp().password()).isEmpty();
  }

  @Test
  void periodsNameTheDayTheIsoWeekOrTheMonth() {
    LocalDate newYearsEve = LocalDate.of(2024, 12, 31); // ISO week 1 of 2025
    assertThat(load(new JsonObject().put("period", "week"), Map.of()).periodOf(newYearsEve)).isEqualTo("2025-W01");
    assertThat(load(new JsonObject().put("period", "month"), Map.of()).periodOf(newYearsEve)).isEqualTo("2024-12");
    assertThat(load(new JsonObject().put("period", "day"), Map.of()).periodOf(newYearsEve)).isEqualTo("2024-12-31");
  }

  @Test
  void smtpCredentialsComeFromTheEnvironmentVariablesTheFileNames() {
    KycConfig c = load(new JsonObject().put("smtp", new JsonObject().put("passwordEnv", "MY_SMTP_PASS")),
        Map.of("MY_SMTP_PASS", "s3cret", "PHARMAOPS_KYC_SMTP_USERNAME", "mailer"));
    assertThat(c.smtp().password()).contains("s3cret");
    assertThat(c.smtp().username()).contains("mailer");
  }

  @Test
  void badValuesAreAllReportedWithTheirVariables() {
    assertThatThrownBy(() -> load(new JsonObject().put("period", "year").put("channel", "webhook").put("statuses",
        new io.vertx.core.json.JsonArray()).put("smtp", new JsonObject().put("from", "nobody")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kyc.period").hasMessageContaining("PHARMAOPS_KYC_PERIOD")
        .hasMessageContaining("kyc.webhook.url")
        .hasMessageContaining("kyc.statuses")
        .hasMessageContaining("kyc.smtp.from");
  }
}
