package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Helpers the scrapers share: clean text, absolute links, dates with per-item errors, the next page. */
final class Extract {
  private static final Pattern NEXT_TEXT = Pattern.compile("(?i)^\\s*(pr[oó]xim[ao]|seguinte|next|mais antig[ao]s|»|›|>)\\s*(»|›|>)?\\s*$");

  private Extract() {}

  /** Text with no-break spaces as spaces and runs of blanks collapsed; null when blank. */
  static String text(Element e) {
    if (e == null) return null;
    String t = e.text().replace('\u00a0', ' ').replaceAll("\\s+", " ").trim();
    return t.isEmpty() ? null : t;
  }

  static String link(Element e) {
    if (e == null) return null;
    Element a = e.is("a[href]") ? e : e.selectFirst("a[href]");
    if (a == null) return null;
    String abs = a.absUrl("href");
    return abs.isEmpty() || abs.startsWith("javascript:") ? null : abs;
  }

  /** The date in {@code raw}, or null after adding a clear error for item {@code n}. */
  static Instant date(String raw, Clock clock, int n, List<String> errors) {
    if (raw == null) return null;
    try {
      return PtDates.parse(raw, clock);
    } catch (IllegalArgumentException e) {
      errors.add("item " + n + ": " + e.getMessage());
      return null;
    }
  }

  /** A date if {@code raw} holds one, else null (no error: used to find which cell is the date). */
  static Instant dateOrNull(String raw, Clock clock) {
    try {
      return raw == null ? null : PtDates.parse(raw, clock);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The next page: the configured selector, else rel=next, else a link reading "Próxima", "»"... */
  static String nextPage(Document doc, String selector) {
    Element e = selector != null ? doc.selectFirst(selector) : doc.selectFirst("a[rel=next][href], link[rel=next][href]");
    if (e == null && selector == null) {
      for (Element a : doc.select("a[href]")) {
        String t = a.text().replace('\u00a0', ' ');
        if (NEXT_TEXT.matcher(t).matches() || NEXT_TEXT.matcher(a.attr("title")).matches() || NEXT_TEXT.matcher(a.attr("aria-label")).matches()) {
          e = a;
          break;
        }
      }
    }
    if (e == null) return null;
    String abs = e.absUrl("href");
    return abs.isEmpty() || abs.equals(doc.location()) ? null : abs;
  }

  /** Reads one item into {@code items}, or says why it cannot into {@code errors}. */
  interface ItemReader {
    void read(Element e, int n, List<ScrapedItem> items, List<String> errors);
  }

  /** A page of items, each read on its own: one unreadable item is an error of its own, never a failed page. */
  static PageResult each(Iterable<Element> elements, Document page, String next, ItemReader reader) {
    List<ScrapedItem> items = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int n = 0;
    for (Element e : elements) {
      n++;
      try {
        reader.read(e, n, items, errors);
      } catch (RuntimeException ex) {
        errors.add("item " + n + ": unreadable (" + ex + ")");
      }
    }
    return new PageResult(items, errors, nextPage(page, next));
  }

  /** Only the outermost matches: a card inside a card, or a table inside a table, is part of its parent. */
  static List<Element> outermost(Elements found) {
    List<Element> out = new ArrayList<>();
    for (Element e : found) {
      boolean nested = false;
      for (Element p : e.parents()) {
        if (found.contains(p)) {
          nested = true;
          break;
        }
      }
      if (!nested) out.add(e);
    }
    return out;
  }

  /** An optional selector option, checked for syntax now rather than failing on every run. */
  static String selector(JsonObject options, String key, boolean required) {
    Object v = options.getValue(key);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) throw new IllegalArgumentException("'" + key + "' (a CSS selector) is required");
      return null;
    }
    if (!(v instanceof String s)) throw new IllegalArgumentException("'" + key + "' must be a CSS selector string");
    try {
      QueryParser.parse(s);
    } catch (Selector.SelectorParseException e) {
      throw new IllegalArgumentException("'" + key + "' is not a valid CSS selector: " + e.getMessage());
    }
    return s;
  }

  static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
