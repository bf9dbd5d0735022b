package pharmaops.reports;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * RFC 4180 CSV cells and lines (CRLF, quotes doubled, quoted when needed), safe to open in a spreadsheet: a
 * cell that begins with = + - @ tab or CR is prefixed with {@code '} so it is never evaluated as a formula.
 * Cells are encoded as UTF-8 straight into the chunk's buffer: through a StringBuilder, its String and then its
 * bytes, every character was copied three times, a third of an export's time.
 */
final class Csv {
  private Csv() {}

  static void line(ByteBuf out, Iterable<String> cells) {
    boolean first = true;
    for (String c : cells) {
      if (!first) out.writeByte(',');
      first = false;
      cell(out, c);
    }
    crlf(out);
  }

  static void crlf(ByteBuf out) {
    out.writeByte('\r').writeByte('\n');
  }

  static void cell(ByteBuf out, String value) {
    if (value == null || value.isEmpty()) return;
    char c0 = value.charAt(0);
    boolean formula = c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == '\t' || c0 == '\r';
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == '"' || c == ',' || c == '\n' || c == '\r';
    }
    if (!quote) {
      if (formula) out.writeByte('\'');
      ByteBufUtil.writeUtf8(out, value);
      return;
    }
    out.writeByte('"');
    if (formula) out.writeByte('\'');
    // Runs between quotes go in whole; each quote is doubled.
    int from = 0;
    for (int q = value.indexOf('"'); q >= 0; q = value.indexOf('"', q + 1)) {
      ByteBufUtil.writeUtf8(out, value, from, q + 1);
      out.writeByte('"');
      from = q + 1;
    }
    ByteBufUtil.writeUtf8(out, value, from, value.length());
    out.writeByte('"');
  }
}
