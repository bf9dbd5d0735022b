package pharmaops.reports;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for checking exported files (fails on a malformed file, e.g. a truncated one). */
final class CsvReader {
  private CsvReader() {}

  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    boolean quoted = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i += 2;
          continue;
        }
        if (c == '"') quoted = false;
        else cell.append(c);
        i++;
        continue;
      }
      if (c == '"' && cell.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        cell.append(c);
      }
      i++;
    }
    if (quoted || cell.length() > 0 || !row.isEmpty()) throw new IllegalArgumentException("file does not end with a complete line");
    return rows;
  }
}
