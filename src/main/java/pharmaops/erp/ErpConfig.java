package pharmaops.erp;

import io.vertx.core.json.JsonObject;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigReader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code erp} section: the ERPs to sync and how hard to try. Secrets (ERP tokens and passwords, the alert
 * webhook URL) are named here by environment variable and read from the environment, never from the file.
 *
 * @param lookbackSeconds        an incremental sync asks for changes since the cursor minus this, for late writes
 * @param retries                extra attempts of a failed page, with exponential backoff and jitter
 * @param backoffMs              first retry delay (doubles each attempt, capped at 30 s)
 * @param breakerMaxFailures     failures within 60 s that open an ERP's breaker
 * @param breakerResetMs         an open breaker lets a trial call through (half-open) after this
 * @param freshnessMinutes       alert when an ERP's data is older than this (0 = never)
 * @param alertWebhookEnv        variable holding the Slack-compatible webhook URL (unset = no alerts)
 * @param alertMinIntervalSeconds one alert per kind and ERP at most this often
 */
public record ErpConfig(List<Source> sources, int lookbackSeconds, int retries, int backoffMs, int breakerMaxFailures,
                        int breakerResetMs, int freshnessMinutes, Optional<String> alertWebhookUrl,
                        int alertMinIntervalSeconds) {

  /** A page body larger than this fails the page instead of filling the heap (per source: {@code maxPageBytes}). */
  static final int DEFAULT_MAX_PAGE_BYTES = 32 << 20;

  /**
   * One ERP.
   *
   * @param priority   merge precedence: when several ERPs carry the same product, the lowest priority wins
   *                   (ties: the alphabetically first name)
   * @param rateLimit  requests per second at most (0 = unlimited)
   * @param concurrency pages of this ERP in flight at once
   * @param maxPageBytes a page body larger than this fails the page (memory: concurrency x maxPageBytes)
   */
  public record Source(String name, String kind, String baseUrl, Optional<String> token, Optional<String> user,
                       Optional<String> password, int pageSize, int timeoutMs, String schedule, int rateLimit,
                       int concurrency, int priority, int maxPageBytes) {}

  public static ErpConfig from(AppConfig app) {
    return from(app.section("erp"), app);
  }

  static ErpConfig from(JsonObject json, AppConfig app) {
    List<String> problems = new ArrayList<>();
    ConfigReader r = new ConfigReader("erp", json, problems);
    List<Source> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    var list = r.array("sources");
    for (int i = 0; i < list.size(); i++) {
      String at = "sources[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject o)) {
        r.problem(at, "must be an object {name, kind, baseUrl, ...}");
        continue;
      }
      ConfigReader s = new ConfigReader("erp." + at, o, problems);
      String name = s.string("name", "");
      if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) s.problem("name", "must be 1-40 of a-z, 0-9, '_', '-', got '" + name + "'");
      else if (!names.add(name)) s.problem("name", "'" + name + "' is used by two sources");
      String kind = s.string("kind", "");
      if (!ErpAdapter.KINDS.containsKey(kind)) {
        s.problem("kind", "must be one of " + new TreeSet<>(ErpAdapter.KINDS.keySet()) + ", got '" + kind + "'");
      }
      String baseUrl = s.string("baseUrl", "");
      if (!baseUrl.matches("https?://[^\\s/]+(/\\S*)?")) s.problem("baseUrl", "must be an http(s) URL, got '" + baseUrl + "'");
      var token = secret(s, app, "tokenEnv");
      var user = secret(s, app, "userEnv");
      var password = secret(s, app, "passwordEnv");
      if (user.isPresent() != password.isPresent()) s.problem("userEnv", "userEnv and passwordEnv go together");
      String schedule = s.string("schedule", "0 * * * *");
      try {
        pharmaops.jobs.Cron.parse(schedule);
      } catch (RuntimeException e) {
        s.problem("schedule", "must be a cron expression (5 or 6 fields, UTC) or '@every 30s|5m|1h', got '" + schedule + "'");
      }
      sources.add(new Source(name, kind, baseUrl.replaceAll("/+$", ""), token, user, password,
          s.intIn("pageSize", 500, 1, 10_000), s.intIn("timeoutMs", 10_000, 100, 600_000), schedule,
          s.intIn("rateLimit", 0, 0, 10_000), s.intIn("concurrency", 2, 1, 64), s.intIn("priority", 100, 0, 1_000_000),
          s.intIn("maxPageBytes", DEFAULT_MAX_PAGE_BYTES, 1024, 1 << 30)));
    }
    var alertEnv = r.string("alertWebhookEnv", "");
    var webhook = app.secret(alertEnv);
    if (!alertEnv.isEmpty() && webhook.isPresent() && !webhook.get().matches("https?://\\S+")) {
      r.problem("alertWebhookEnv", "variable " + alertEnv + " must hold an http(s) URL");
    }
    var cfg = new ErpConfig(List.copyOf(sources), r.intIn("lookbackSeconds", 300, 0, 7 * 86_400),
        r.intIn("retries", 3, 0, 10), r.intIn("backoffMs", 200, 1, 60_000), r.intIn("breakerMaxFailures", 5, 1, 1000),
        r.intIn("breakerResetMs", 30_000, 10, 3_600_000), r.intIn("freshnessMinutes", 180, 0, 525_600), webhook,
        r.intIn("alertMinIntervalSeconds", 900, 0, 86_400));
    r.failOnProblems();
    return cfg;
  }

  private static Optional<String> secret(ConfigReader s, AppConfig app, String key) {
    String env = s.string(key, "");
    if (env.isEmpty()) return Optional.empty();
    var v = app.secret(env);
    if (v.isEmpty()) s.problem(key, "names environment variable " + env + ", which is not set");
    return v;
  }

  public Optional<Source> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
