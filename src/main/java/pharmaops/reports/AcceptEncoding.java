package pharmaops.reports;

import java.util.Locale;
import java.util.regex.Pattern;

/** Reads an {@code Accept-Encoding} header (RFC 9110 12.5.3) for the one coding the file route offers: gzip. */
final class AcceptEncoding {
  private static final Pattern QVALUE = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");

  private AcceptEncoding() {}

  /** True when gzip (or {@code x-gzip}, or else {@code *}) is listed with a weight above 0; {@code q=0} means "not". */
  static boolean gzip(String header) {
    if (header == null) return false;
    double gzip = -1;
    double any = -1;
    for (String element : header.split(",")) {
      String[] parts = element.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.regionMatches(true, 0, "q=", 0, 2)) q = weight(p.substring(2).trim());
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) gzip = Math.max(gzip, q);
      else if (coding.equals("*")) any = Math.max(any, q);
    }
    return (gzip >= 0 ? gzip : any) > 0;
  }

  /** A malformed weight counts as 0: sending the file uncompressed is always acceptable. */
  private static double weight(String s) {
    return QVALUE.matcher(s).matches() ? Double.parseDouble(s) : 0;
  }
}
