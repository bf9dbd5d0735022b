package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic kind, configured only with CSS selectors: {@code item} (each match is one item), and inside it
 * {@code title}, {@code body}, {@code date}, {@code link}; {@code next} finds the next page's link. A date
 * selector may point at an element with a {@code datetime} attribute.
 */
final class CssScraper implements Scraper {
  private final String item;
  private final String title;
  private final String body;
  private final String date;
  private final String link;
  private final String next;

  CssScraper(JsonObject options) {
    item = Extract.selector(options, "item", true);
    title = Extract.selector(options, "title", true);
    body = Extract.selector(options, "body", false);
    date = Extract.selector(options, "date", false);
    link = Extract.selector(options, "link", false);
    next = Extract.selector(options, "next", false);
  }

  @Override
  public PageResult parse(Document page, Clock clock) {
    return Extract.each(page.select(item), page, next, (e, n, items, errors) -> one(e, clock, n, items, errors));
  }

  private void one(Element e, Clock clock, int n, List<ScrapedItem> items, List<String> errors) {
    String t = Extract.text(e.selectFirst(title));
    if (t == null) {
      errors.add("item " + n + ": no title (selector '" + title + "' found nothing or only blanks)");
      return;
    }
    String b = body == null ? null : joined(e, body);
    Element l = link == null ? e.selectFirst(title) : e.selectFirst(link);
    Instant when = null;
    if (date != null) {
      Element d = e.selectFirst(date);
      String raw = d == null ? null : (d.hasAttr("datetime") ? d.attr("datetime") : Extract.text(d));
      if (raw == null) errors.add("item " + n + ": no date (selector '" + date + "')");
      when = Extract.date(raw, clock, n, errors);
    }
    items.add(new ScrapedItem(t, b, Extract.link(l == null ? e : l), when));
  }

  private static String joined(Element e, String selector) {
    List<String> parts = new ArrayList<>();
    for (Element b : e.select(selector)) {
      String t = Extract.text(b);
      if (t != null) parts.add(t);
    }
    return parts.isEmpty() ? null : String.join("\n", parts);
  }
}
