package pharmaops.scraping;

import java.time.Duration;
import java.util.regex.Pattern;

/** Scrape schedules: {@code @every 30s | 5m | 1h} (the form the job engine's schedule() also accepts). */
final class Schedules {
  private static final Pattern EVERY = Pattern.compile("@every\\s+(\\d{1,6})(ms|s|m|h)");

  private Schedules() {}

  static Duration interval(String schedule) {
    var m = EVERY.matcher(schedule.trim());
    if (!m.matches()) throw new IllegalArgumentException("must look like '@every 30s' (units ms, s, m, h), got '" + schedule + "'");
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.toMillis() < 500) throw new IllegalArgumentException("must be at least 500ms, got '" + schedule + "'");
    return d;
  }
}
