package pharmaops.reports;

/**
 * RFC 4180 CSV cells and lines (CRLF, quotes doubled, quoted when needed), safe to open in a spreadsheet: a
 * cell that begins with = + - @ tab or CR is prefixed with {@code '} so it is never evaluated as a formula.
 */
final class Csv {
  private Csv() {}

  static void line(StringBuilder sb, Iterable<String> cells) {
    boolean first = true;
    for (String c : cells) {
      if (!first) sb.append(',');
      first = false;
      cell(sb, c);
    }
    sb.append("\r\n");
  }

  static void cell(StringBuilder sb, String value) {
    if (value == null || value.isEmpty()) return;
    char c0 = value.charAt(0);
    boolean formula = c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == '\t' || c0 == '\r';
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == '"' || c == ',' || c == '\n' || c == '\r';
    }
    if (!quote) {
      if (formula) sb.append('\'');
      sb.append(value);
      return;
    }
    sb.append('"');
    if (formula) sb.append('\'');
    // Runs between quotes go in whole (a char at a time was a fifth of an export's time); each quote is doubled.
    int from = 0;
    for (int q = value.indexOf('"'); q >= 0; q = value.indexOf('"', q + 1)) {
      sb.append(value, from, q + 1).append('"');
      from = q + 1;
    }
    sb.append(value, from, value.length()).append('"');
  }
}
