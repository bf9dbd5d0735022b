package pharmaops.scraping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A site to scrape, as configured or posted to the admin API. Validation collects every problem so the
 * config loader and the API can report them all at once.
 *
 * @param ratePerSecond  politeness limit for the whole host (several sources on one host share the lowest)
 * @param maxConcurrency requests in flight to the host at once
 * @param options        kind-specific settings, e.g. the CSS selectors of the {@code css} kind
 * @param channels       {@code [{"type": "whatsapp", "recipients": ["5511999990000"]}, ...]}
 */
public record SourceSpec(String name, String url, String kind, String schedule, Duration interval, double ratePerSecond,
                         int maxConcurrency, int maxPages, boolean respectRobots, JsonObject options,
                         JsonArray channels, boolean enabled, String origin) {
  static final Set<String> CHANNELS = Set.of("whatsapp", "webhook");

  public static SourceSpec parse(JsonObject j, String origin, List<String> errors) {
    String name = str(j, "name", errors, true);
    if (name != null && !name.matches("[\\p{L}\\p{N} ._:/-]{1,100}")) errors.add("name: 1-100 letters, digits, spaces or . _ : / -");
    String url = str(j, "url", errors, true);
    if (url != null) {
      try {
        URI u = new URI(url);
        if (!Set.of("http", "https").contains(String.valueOf(u.getScheme())) || u.getHost() == null) {
          errors.add("url: must be an absolute http(s) URL, got '" + url + "'");
        }
      } catch (Exception e) {
        errors.add("url: not a valid URL: '" + url + "'");
      }
    }
    String kind = str(j, "kind", errors, true);
    if (kind != null && !ScraperFactory.kinds().contains(kind)) errors.add("kind: one of " + ScraperFactory.kinds() + ", got '" + kind + "'");
    String schedule = j.getValue("schedule") == null ? "@every 5m" : str(j, "schedule", errors, true);
    Duration interval = null;
    if (schedule != null) {
      try {
        interval = Schedules.interval(schedule);
      } catch (IllegalArgumentException e) {
        errors.add("schedule: " + e.getMessage());
      }
    }
    double rate = num(j, "ratePerSecond", 1, 0.01, 1000, errors);
    int conc = (int) num(j, "maxConcurrency", 2, 1, 64, errors);
    int pages = (int) num(j, "maxPages", 3, 1, 50, errors);
    boolean robots = bool(j, "respectRobots", true, errors);
    boolean enabled = bool(j, "enabled", true, errors);
    JsonObject options = j.getValue("options") == null ? new JsonObject() : obj(j, "options", errors);
    JsonArray channels = j.getValue("channels") == null ? new JsonArray() : channels(j.getValue("channels"), errors);
    if (kind != null && options != null && ScraperFactory.kinds().contains(kind)) {
      errors.addAll(ScraperFactory.validate(kind, options));
    }
    return new SourceSpec(name, url, kind, schedule, interval, rate, conc, pages, robots, options, channels, enabled, origin);
  }

  public String host() {
    return hostOf(url);
  }

  /** The politeness key of a URL: host, and port when one is given. */
  static String hostOf(String url) {
    URI u = URI.create(url);
    return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
  }

  private static JsonArray channels(Object v, List<String> errors) {
    if (!(v instanceof JsonArray arr)) {
      errors.add("channels: must be a list of {type, recipients}");
      return new JsonArray();
    }
    JsonArray out = new JsonArray();
    for (Object o : arr) {
      if (!(o instanceof JsonObject c) || !(c.getValue("type") instanceof String type) || !CHANNELS.contains(type)
          || !(c.getValue("recipients") instanceof JsonArray rs)) {
        errors.add("channels: each entry needs type " + CHANNELS + " and a recipients list, got " + o);
        continue;
      }
      JsonArray recipients = new JsonArray();
      for (Object r : rs) {
        String s = r instanceof String str ? str.trim() : "";
        boolean ok = type.equals("whatsapp") ? s.matches("\\+?\\d{8,15}") : s.matches("https?://\\S+");
        if (!ok) errors.add("channels: " + type + " recipient '" + r + "' must be " + (type.equals("whatsapp") ? "a phone number (digits)" : "an http(s) URL"));
        else recipients.add(type.equals("whatsapp") ? s.replace("+", "") : s);
      }
      out.add(new JsonObject().put("type", type).put("recipients", recipients));
    }
    return out;
  }

  private static String str(JsonObject j, String key, List<String> errors, boolean required) {
    Object v = j.getValue(key);
    if (v instanceof String s && !s.isBlank()) return s.trim();
    if (v != null || required) errors.add(key + ": required, a non-empty string");
    return null;
  }

  private static double num(JsonObject j, String key, double def, double min, double max, List<String> errors) {
    Object v = j.getValue(key);
    if (v == null) return def;
    if (v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max) return n.doubleValue();
    errors.add(key + ": a number from " + min + " to " + max + ", got " + v);
    return def;
  }

  private static boolean bool(JsonObject j, String key, boolean def, List<String> errors) {
    Object v = j.getValue(key);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    errors.add(key + ": true or false, got " + v);
    return def;
  }

  private static JsonObject obj(JsonObject j, String key, List<String> errors) {
    if (j.getValue(key) instanceof JsonObject o) return o;
    errors.add(key + ": must be an object");
    return new JsonObject();
  }
}
