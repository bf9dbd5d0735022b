package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of dated rows with links ("Data | Tarefa | Pontos"), as organisers often publish. Each row of the
 * outermost tables is one item (a table nested in a cell stays part of that cell). The date is the
 * {@code dateColumn}, else the first cell that reads as a date; the title is the {@code titleColumn}, else
 * the first link's text, else the longest other cell; the remaining cells make the body. Rows with neither
 * a link nor a date (headers, totals, spacers) are not items. Options: {@code table}, {@code dateColumn},
 * {@code titleColumn} (0-based), {@code next}.
 */
final class TableScraper implements Scraper {
  private final String table;
  private final Integer dateColumn;
  private final Integer titleColumn;
  private final String next;

  TableScraper(JsonObject options) {
    String t = Extract.selector(options, "table", false);
    table = t == null ? "table" : t;
    dateColumn = column(options, "dateColumn");
    titleColumn = column(options, "titleColumn");
    next = Extract.selector(options, "next", false);
  }

  @Override
  public PageResult parse(Document page, Clock clock) {
    List<ScrapedItem> items = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int n = 0;
    for (Element tbl : Extract.outermost(page.select(table))) {
      for (Element row : rows(tbl)) {
        List<Element> cells = row.children().stream().filter(c -> c.is("td, th")).toList();
        if (cells.isEmpty() || cells.stream().allMatch(c -> c.is("th"))) continue;
        n++;
        try {
          row(cells, clock, n, items, errors);
        } catch (RuntimeException ex) {
          errors.add("item " + n + ": unreadable (" + ex + ")");
        }
      }
    }
    return new PageResult(items, errors, Extract.nextPage(page, next));
  }

  private void row(List<Element> cells, Clock clock, int n, List<ScrapedItem> items, List<String> errors) {
    int dateAt = -1;
    Instant when = null;
    String badDate = null;
    if (dateColumn != null) {
      if (dateColumn < cells.size()) {
        dateAt = dateColumn;
        String raw = Extract.text(cells.get(dateColumn));
        if (raw == null) errors.add("item " + n + ": date cell " + dateColumn + " is empty");
        when = Extract.date(raw, clock, n, errors);
      } else {
        errors.add("item " + n + ": row has " + cells.size() + " cells, no date column " + dateColumn);
      }
    } else {
      for (int i = 0; i < cells.size() && when == null; i++) {
        try {
          String raw = Extract.text(cells.get(i));
          when = raw == null ? null : PtDates.parse(raw, clock);
          if (when != null) dateAt = i;
        } catch (IllegalArgumentException e) {
          // a cell that looks like a date but is impossible is worth naming: "impossible date '31/02/2026'"
          if (e.getMessage().startsWith("impossible") && badDate == null) badDate = e.getMessage();
        }
      }
    }
    String link = null;
    for (Element c : cells) {
      if ((link = Extract.link(c)) != null) break;
    }
    if (link == null && when == null && dateAt < 0) return; // header, total or spacer row
    int titleAt = titleColumn != null ? (titleColumn < cells.size() ? titleColumn : -1) : linkTextCell(cells);
    if (titleAt < 0 && titleColumn == null) titleAt = longestOtherCell(cells, dateAt);
    String title = titleAt < 0 ? null : Extract.text(titleColumn == null && cells.get(titleAt).selectFirst("a[href]") != null
        ? cells.get(titleAt).selectFirst("a[href]") : cells.get(titleAt));
    if (title == null) {
      errors.add("item " + n + ": no title (no link text and no non-date cell with text)");
      return;
    }
    if (dateColumn == null && when == null) errors.add("item " + n + ": " + (badDate != null ? badDate : "no cell reads as a date"));
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      String t = Extract.text(cells.get(i));
      if (i == titleAt && t != null && !t.equals(title)) t = t.replace(title, "").trim(); // e.g. a nested table under the link
      if (i != dateAt && t != null && !t.isEmpty() && (i != titleAt || !t.equals(title))) rest.add(t);
    }
    items.add(new ScrapedItem(title, rest.isEmpty() ? null : String.join(" · ", rest), link, when));
  }

  /** Direct rows only (and those of its own head/body/foot), so a nested table's rows stay in their cell. */
  private static List<Element> rows(Element table) {
    List<Element> out = new ArrayList<>();
    for (Element c : table.children()) {
      if (c.is("tr")) out.add(c);
      else if (c.is("thead, tbody, tfoot")) c.children().stream().filter(r -> r.is("tr")).forEach(out::add);
    }
    return out;
  }

  private static int linkTextCell(List<Element> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (Extract.text(cells.get(i).selectFirst("a[href]")) != null) return i;
    }
    return -1;
  }

  private static int longestOtherCell(List<Element> cells, int dateAt) {
    int best = -1;
    int bestLength = 0;
    for (int i = 0; i < cells.size(); i++) {
      String t = Extract.text(cells.get(i));
      if (i != dateAt && t != null && t.length() > bestLength) {
        best = i;
        bestLength = t.length();
      }
    }
    return best;
  }

  private static Integer column(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (v instanceof Number num && num.intValue() >= 0 && num.intValue() < 100 && num.doubleValue() == num.intValue()) return num.intValue();
    throw new IllegalArgumentException("'" + key + "' must be a column index from 0 to 99, got " + v);
  }
}
