package pharmaops.kyc;

import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigReader;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kyc} configuration section. Secrets (SMTP password, webhook token) are never in the file: the file
 * names the environment variables that hold them.
 *
 * @param schedule       cron of the periodic run (5 or 6 fields, or {@code @every 1h}); empty = only manual runs
 * @param dueWithinDays  remind customers whose verification is due within this many days (today included)
 * @param statuses       customer statuses that are reminded
 * @param period         one reminder per customer per {@code day}, {@code week} (ISO) or {@code month}
 * @param batchSize      due-date index entries walked per selection page (ids enqueued per transaction)
 * @param channel        {@code smtp} or {@code webhook}
 * @param concurrency    reminder jobs running at once on one node
 * @param maxAttempts    attempts of one customer's job before it is dead (and counted failed)
 * @param retryBaseMs    first retry delay of a failed customer job (doubles each attempt)
 */
public record KycConfig(String schedule, int dueWithinDays, List<String> statuses, String period, int batchSize,
                        String channel, int concurrency, int maxAttempts, long retryBaseMs, Smtp smtp,
                        Webhook webhook) {

  /** @param starttls {@code disabled}, {@code optional} or {@code required} */
  public record Smtp(String host, int port, String from, String starttls, boolean ssl, String usernameEnv,
                     Optional<String> username, String passwordEnv, Optional<String> password, int timeoutMs,
                     int poolSize) {}

  public record Webhook(String url, String tokenEnv, Optional<String> token, int timeoutMs) {}

  /** The period a day belongs to: {@code 2026-11-25}, {@code 2026-W48} (ISO week) or {@code 2026-11}. */
  public String periodOf(LocalDate day) {
    return switch (period) {
      case "day" -> day.toString();
      case "month" -> String.format("%04d-%02d", day.getYear(), day.getMonthValue());
      default -> String.format("%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    };
  }

  public static KycConfig from(AppConfig app) {
    ConfigReader k = new ConfigReader("kyc", app.section("kyc"), new java.util.ArrayList<>());
    String period = k.oneOf("period", "week", Set.of("day", "week", "month"));
    String channel = k.oneOf("channel", "smtp", Set.of("smtp", "webhook"));
    List<String> statuses = k.strings("statuses", List.of("active"));
    if (statuses.isEmpty()) k.problem("statuses", "must name at least one status");

    ConfigReader s = k.section("smtp");
    String userEnv = s.string("usernameEnv", "PHARMAOPS_KYC_SMTP_USERNAME");
    String passEnv = s.string("passwordEnv", "PHARMAOPS_KYC_SMTP_PASSWORD");
    var smtp = new Smtp(s.string("host", "127.0.0.1"), s.intIn("port", 25, 1, 65535),
        s.string("from", "kyc@pharmaops.local"), s.oneOf("starttls", "optional", Set.of("disabled", "optional", "required")),
        s.bool("ssl", false), userEnv, app.secret(userEnv), passEnv, app.secret(passEnv),
        s.intIn("timeoutMs", 10_000, 100, 300_000), s.intIn("poolSize", 8, 1, 256));
    if (!smtp.from().contains("@")) s.problem("from", "must be an e-mail address, got '" + smtp.from() + "'");

    ConfigReader w = k.section("webhook");
    String tokenEnv = w.string("tokenEnv", "PHARMAOPS_KYC_WEBHOOK_TOKEN");
    var webhook = new Webhook(w.string("url", ""), tokenEnv, app.secret(tokenEnv), w.intIn("timeoutMs", 5_000, 100, 300_000));
    if (channel.equals("webhook") && !webhook.url().matches("https?://.+")) {
      w.problem("url", "must be an http(s) URL when kyc.channel is webhook, got '" + webhook.url() + "'");
    }

    var cfg = new KycConfig(k.string("schedule", "0 3 * * *"), k.intIn("dueWithinDays", 30, 0, 3650), statuses, period,
        k.intIn("batchSize", 2000, 1, 50_000), channel, k.intIn("concurrency", 32, 1, 1024),
        k.intIn("maxAttempts", 5, 1, 100), k.longIn("retryBaseMs", 30_000, 10, 86_400_000L), smtp, webhook);
    k.failOnProblems();
    return cfg;
  }
}
