package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scraping} section of the configuration.
 *
 * @param wuzapiToken    the Wuzapi token, read from the environment variable the file names (never the file)
 * @param alertWebhook   where "a source stopped returning items" alerts are POSTed (empty = log and metric only)
 * @param conditionalGet send If-None-Match / If-Modified-Since (off only to measure what it saves)
 * @param maxPageBytes   a page body larger than this is not read (the run says so)
 */
public record ScrapingConfig(boolean enabled, String userAgent, int timeoutMs, int maxRetries, int retryBaseMs,
                             boolean conditionalGet, int tickSeconds, String alertWebhook, String wuzapiBaseUrl,
                             Optional<String> wuzapiToken, double whatsappPerSecond, double webhookPerSecond,
                             int deliveryMaxAttempts, int deliveryRetrySeconds, int maxPageBytes, List<SourceSpec> sources) {

  public static ScrapingConfig from(AppConfig app) {
    ConfigReader s = new ConfigReader("scraping", app.section("scraping"), new ArrayList<>());
    ConfigReader w = s.section("whatsapp");
    ConfigReader wh = s.section("webhook");
    ConfigReader d = s.section("delivery");
    List<SourceSpec> sources = new ArrayList<>();
    var arr = s.array("sources");
    for (int i = 0; i < arr.size(); i++) {
      Object o = arr.getValue(i);
      if (!(o instanceof JsonObject json)) {
        s.problem("sources", "entry " + i + " must be an object");
        continue;
      }
      List<String> errors = new ArrayList<>();
      SourceSpec spec = SourceSpec.parse(json, "config", errors);
      for (String e : errors) s.problem("sources", "entry " + i + ": " + e);
      if (errors.isEmpty()) sources.add(spec);
    }
    String base = w.string("baseUrl", "");
    if (!base.isEmpty() && !base.matches("https?://.+")) w.problem("baseUrl", "must be an http(s) URL");
    var cfg = new ScrapingConfig(s.bool("enabled", true), s.string("userAgent", "pharmaops-scraper/1.0"),
        s.intIn("timeoutMs", 10_000, 100, 120_000), s.intIn("maxRetries", 3, 0, 10), s.intIn("retryBaseMs", 500, 1, 60_000),
        s.bool("conditionalGet", true), s.intIn("tickSeconds", 1, 1, 3600), s.string("alertWebhookUrl", ""),
        base.replaceAll("/+$", ""), app.secret(w.string("tokenEnv", "WUZAPI_TOKEN")),
        w.intIn("messagesPerMinute", 20, 1, 6000) / 60.0,
        wh.intIn("requestsPerSecond", 10, 1, 10_000), d.intIn("maxAttempts", 8, 1, 100),
        d.intIn("retrySeconds", 5, 1, 3600), s.intIn("maxPageBytes", 5 << 20, 1024, 100 << 20), List.copyOf(sources));
    s.failOnProblems();
    return cfg;
  }
}
