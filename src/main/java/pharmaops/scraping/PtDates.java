package pharmaops.scraping;

import java.text.Normalizer;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates as Brazilian sites write them: {@code 25/11/2026}, {@code 25/11/26}, {@code 25-11-2026 14:30},
 * {@code 25 de novembro de 2026}, {@code 25 nov 2026}, {@code segunda, 25 de novembro às 14h},
 * {@code hoje às 14h}, {@code ontem}, {@code há 2 horas}, and ISO 8601. The date may sit inside other text
 * ("Publicado em 25/11/2026"). Times without a zone are São Paulo time. Anything else, or an impossible
 * date such as 31/02/2026, is an {@link IllegalArgumentException} whose message quotes the input.
 */
public final class PtDates {
  public static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("jan", 1), Map.entry("fev", 2), Map.entry("mar", 3), Map.entry("abr", 4), Map.entry("mai", 5),
      Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("ago", 8), Map.entry("set", 9), Map.entry("out", 10),
      Map.entry("nov", 11), Map.entry("dez", 12));
  private static final String TIME = "(?:\\s*(?:,|as|a partir das|-)?\\s*(\\d{1,2})(?:h|:)(\\d{2})?(?:min)?)?";
  private static final Pattern ISO = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:[t ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)(z|[+-]\\d{2}:?\\d{2})?)?");
  private static final Pattern NUMERIC = Pattern.compile("(?<!\\d)(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(?!\\d)" + TIME);
  private static final Pattern TEXTUAL = Pattern.compile(
      "(?<!\\d)(\\d{1,2})(?:o|º)?\\s*(?:de\\s+)?(jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez)(?:eiro|ereiro|co|il|o|ho|sto|embro|ubro)?\\b\\.?(?:\\s*(?:de\\s+)?(\\d{4}))?" + TIME);
  private static final Pattern RELATIVE_DAY = Pattern.compile("\\b(hoje|ontem|anteontem)\\b" + TIME);
  private static final Pattern AGO = Pattern.compile("\\bha\\s+(\\d+|um|uma)\\s+(minuto|hora|dia|semana)s?\\b");

  private PtDates() {}

  public static Instant parse(String text, Clock clock) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("no date: the field is empty");
    String t = normalise(text);
    try {
      Matcher m = ISO.matcher(t);
      if (m.find()) return iso(m);
      m = NUMERIC.matcher(t);
      if (m.find()) {
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) year += 2000;
        return at(LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1))), m.group(4), m.group(5));
      }
      m = TEXTUAL.matcher(t);
      if (m.find()) {
        LocalDate today = LocalDate.now(clock.withZone(ZONE));
        int year = m.group(3) != null ? Integer.parseInt(m.group(3)) : today.getYear();
        LocalDate d = LocalDate.of(year, MONTHS.get(m.group(2)), Integer.parseInt(m.group(1)));
        // "25 de dezembro" read in January is last year's
        if (m.group(3) == null && d.isAfter(today.plusDays(31))) d = d.minusYears(1);
        return at(d, m.group(4), m.group(5));
      }
      m = RELATIVE_DAY.matcher(t);
      if (m.find()) {
        LocalDate today = LocalDate.now(clock.withZone(ZONE));
        int back = switch (m.group(1)) {
          case "hoje" -> 0;
          case "ontem" -> 1;
          default -> 2;
        };
        return at(today.minusDays(back), m.group(2), m.group(3));
      }
      m = AGO.matcher(t);
      if (m.find()) {
        long n = m.group(1).startsWith("u") ? 1 : Long.parseLong(m.group(1));
        long minutes = switch (m.group(2)) {
          case "minuto" -> n;
          case "hora" -> n * 60;
          case "dia" -> n * 1440;
          default -> n * 10080;
        };
        return clock.instant().minusSeconds(minutes * 60);
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw new IllegalArgumentException("impossible date '" + clip(text) + "': " + e.getMessage());
    }
    throw new IllegalArgumentException("no recognisable date in '" + clip(text) + "'");
  }

  private static Instant iso(Matcher m) {
    LocalDate d = LocalDate.parse(m.group(1));
    if (m.group(2) == null) return d.atStartOfDay(ZONE).toInstant();
    LocalDateTime dt = LocalDateTime.of(d, LocalTime.parse(m.group(2)));
    if (m.group(3) == null) return dt.atZone(ZONE).toInstant();
    String off = m.group(3).equals("z") ? "Z" : m.group(3).replaceFirst("(\\d{2})(\\d{2})$", "$1:$2");
    return OffsetDateTime.parse(dt + off).toInstant();
  }

  private static Instant at(LocalDate d, String hour, String minute) {
    LocalTime time = hour == null ? LocalTime.MIDNIGHT : LocalTime.of(Integer.parseInt(hour), minute == null ? 0 : Integer.parseInt(minute));
    return ZonedDateTime.of(d, time, ZONE).toInstant();
  }

  /** Lower case, no accents, no-break spaces as spaces, runs of blanks as one. */
  static String normalise(String s) {
    String n = Normalizer.normalize(s.replace('\u00a0', ' '), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return n.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }

  private static String clip(String s) {
    String t = s.replace('\u00a0', ' ').trim();
    return t.length() > 60 ? t.substring(0, 60) + "…" : t;
  }
}
