package pharmaops.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule in UTC: 5 cron fields (minute hour day-of-month month day-of-week), 6 fields (seconds first),
 * {@code @hourly}/{@code @daily}, or {@code @every 30s|5m|1h} (slots aligned to the epoch, so every node computes
 * the same ones). Fields take {@code *}, numbers, {@code a-b}, lists and {@code /step}; day-of-week 0 or 7 is
 * Sunday; when both day fields are restricted, either may match (classic cron).
 */
public final class Cron {
  private static final Pattern EVERY = Pattern.compile("@every\\s+(\\d{1,6})\\s*([smh])");
  private final String text;
  private final Duration every;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean dayOr;

  private Cron(String text, Duration every, BitSet[] f, boolean dayOr) {
    this.text = text;
    this.every = every;
    this.seconds = f == null ? null : f[0];
    this.minutes = f == null ? null : f[1];
    this.hours = f == null ? null : f[2];
    this.days = f == null ? null : f[3];
    this.months = f == null ? null : f[4];
    this.weekdays = f == null ? null : f[5];
    this.dayOr = dayOr;
  }

  /** Parses a schedule; IllegalArgumentException names the bad part. */
  public static Cron parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = EVERY.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
      if (d.isZero()) throw new IllegalArgumentException("@every needs a positive interval: '" + text + "'");
      return new Cron(text, d, null, false);
    }
    if (t.equals("@hourly")) t = "0 * * * *";
    if (t.equals("@daily") || t.equals("@midnight")) t = "0 0 * * *";
    String[] p = t.split("\\s+");
    if (p.length == 5) p = new String[] {"0", p[0], p[1], p[2], p[3], p[4]};
    if (p.length != 6) throw new IllegalArgumentException("a schedule has 5 or 6 fields or is '@every <n>s|m|h': '" + text + "'");
    int[][] ranges = {{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    String[] names = {"second", "minute", "hour", "day of month", "month", "day of week"};
    BitSet[] f = new BitSet[6];
    for (int i = 0; i < 6; i++) f[i] = field(p[i], ranges[i][0], ranges[i][1], names[i], text);
    if (f[5].get(7)) f[5].set(0);
    boolean dayOr = !p[3].equals("*") && !p[5].equals("*");
    return new Cron(text, null, f, dayOr);
  }

  private static BitSet field(String s, int min, int max, String name, String text) {
    BitSet b = new BitSet(max + 1);
    for (String part : s.split(",")) {
      try {
        String[] stepSplit = part.split("/", -1);
        if (stepSplit.length > 2) throw new NumberFormatException();
        int step = stepSplit.length == 2 ? Integer.parseInt(stepSplit[1]) : 1;
        String range = stepSplit[0];
        int lo;
        int hi;
        if (range.equals("*")) {
          lo = min;
          hi = max;
        } else if (range.contains("-")) {
          String[] ab = range.split("-", -1);
          lo = Integer.parseInt(ab[0]);
          hi = Integer.parseInt(ab[1]);
        } else {
          lo = Integer.parseInt(range);
          hi = stepSplit.length == 2 ? max : lo;
        }
        if (step < 1 || lo < min || hi > max || lo > hi) throw new NumberFormatException();
        for (int v = lo; v <= hi; v += step) b.set(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad " + name + " field '" + part + "' (allowed " + min + "-" + max + ") in '" + text + "'");
      }
    }
    return b;
  }

  /** The first slot strictly after {@code after} (whole seconds). */
  public Instant next(Instant after) {
    if (every != null) {
      long s = every.getSeconds();
      return Instant.ofEpochSecond(Math.floorDiv(after.getEpochSecond(), s) * s + s);
    }
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).withNano(0).plusSeconds(1);
    LocalDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
      } else if (!dayMatches(t)) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).withSecond(0).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.withSecond(0).plusMinutes(1);
      } else if (!seconds.get(t.getSecond())) {
        t = t.plusSeconds(1);
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    throw new IllegalStateException("schedule '" + text + "' never fires");
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = days.get(t.getDayOfMonth());
    boolean dow = weekdays.get(t.getDayOfWeek().getValue() % 7);
    return dayOr ? dom || dow : dom && dow;
  }

  @Override
  public String toString() {
    return text;
  }
}
