package pharmaops.erp;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schedules ERP sources may have: 5-field cron (minute hour day-of-month month day-of-week, UTC, with
 * {@code *}, lists, ranges and steps) or {@code @every 30s|5m|1h}. {@link #next} names the next slot a
 * moment falls in, so every node computes the same run key for the same slot.
 */
public final class Cron {
  private static final Pattern EVERY = Pattern.compile("@every (\\d{1,6})([smh])");
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private final long everySeconds;
  private final BitSet[] fields;

  private Cron(long everySeconds, BitSet[] fields) {
    this.everySeconds = everySeconds;
    this.fields = fields;
  }

  public static boolean valid(String expr) {
    try {
      parse(expr);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static Cron parse(String expr) {
    String e = expr.trim();
    Matcher m = EVERY.matcher(e);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1)) * switch (m.group(2)) { case "s" -> 1; case "m" -> 60; default -> 3600; };
      if (n < 1) throw new IllegalArgumentException("interval must be positive");
      return new Cron(n, null);
    }
    String[] parts = e.split("\\s+");
    if (parts.length != 5) throw new IllegalArgumentException("need 5 fields");
    BitSet[] f = new BitSet[5];
    for (int i = 0; i < 5; i++) f[i] = field(parts[i], RANGES[i][0], RANGES[i][1]);
    if (f[4].get(7)) f[4].set(0); // 7 is Sunday too
    return new Cron(0, f);
  }

  private static BitSet field(String spec, int min, int max) {
    BitSet out = new BitSet();
    for (String item : spec.split(",")) {
      String[] stepSplit = item.split("/", -1);
      if (stepSplit.length > 2) throw new IllegalArgumentException(item);
      int step = stepSplit.length == 2 ? Integer.parseInt(stepSplit[1]) : 1;
      if (step < 1) throw new IllegalArgumentException(item);
      int lo;
      int hi;
      if (stepSplit[0].equals("*")) {
        lo = min;
        hi = max;
      } else if (stepSplit[0].contains("-")) {
        String[] r = stepSplit[0].split("-", -1);
        lo = Integer.parseInt(r[0]);
        hi = Integer.parseInt(r[1]);
      } else {
        lo = Integer.parseInt(stepSplit[0]);
        hi = stepSplit.length == 2 ? max : lo;
      }
      if (lo < min || hi > max || lo > hi) throw new IllegalArgumentException(item);
      for (int v = lo; v <= hi; v += step) out.set(v);
    }
    return out;
  }

  /** The first slot start strictly after {@code after} (UTC). */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.withZoneSameInstant(ZoneOffset.UTC);
    if (everySeconds > 0) {
      long epoch = t.toEpochSecond();
      return ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond((epoch / everySeconds + 1) * everySeconds), ZoneOffset.UTC);
    }
    ZonedDateTime c = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    for (int i = 0; i < 366 * 24 * 60; i++, c = c.plusMinutes(1)) {
      if (fields[0].get(c.getMinute()) && fields[1].get(c.getHour()) && fields[2].get(c.getDayOfMonth())
          && fields[3].get(c.getMonthValue()) && fields[4].get(c.getDayOfWeek().getValue() % 7)) {
        return c;
      }
    }
    throw new IllegalStateException("cron never fires within a year");
  }
}
