package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of cards or blog-style posts: each outermost {@code card} (default: article, .card, .post and
 * their Portuguese names) is an item with a heading for title, a {@code <time>} or date-like element for
 * its date, the heading's (or the first) link, and the paragraphs as body. Without a date element the date
 * is looked for only in short meta-like elements ({@code small}, {@code .meta}, a class naming a date...),
 * never in the body, where "hoje" or "1 set de camisetas" are words, not dates. Options: {@code card},
 * {@code next}.
 */
final class CardsScraper implements Scraper {
  private static final String DEFAULT_CARD = "article, .card, .post, .noticia, .tarefa, li.item";
  private static final String HEADING = "h1, h2, h3, h4, h5, .title, .titulo";
  private static final String DATE = "time, .date, .data, .published, .post-date, .quando";
  private static final String META = "small, .meta, .byline, .info, .entry-meta, [class*=date], [class*=data], [datetime]";
  private static final String BODY = "p, .excerpt, .resumo, .content, .body";
  private static final int META_MAX_CHARS = 80;
  private final String card;
  private final String next;

  CardsScraper(JsonObject options) {
    String c = Extract.selector(options, "card", false);
    card = c == null ? DEFAULT_CARD : c;
    next = Extract.selector(options, "next", false);
  }

  @Override
  public PageResult parse(Document page, Clock clock) {
    return Extract.each(Extract.outermost(page.select(card)), page, next, (e, n, items, errors) -> one(e, clock, n, items, errors));
  }

  private void one(Element e, Clock clock, int n, List<ScrapedItem> items, List<String> errors) {
    Element h = e.selectFirst(HEADING);
    String title = Extract.text(h);
    if (title == null) {
      errors.add("item " + n + ": no title (no heading with text)");
      return;
    }
    Element d = e.selectFirst(DATE);
    Instant when;
    if (d != null) {
      String raw = d.hasAttr("datetime") ? d.attr("datetime") : Extract.text(d);
      when = Extract.date(raw, clock, n, errors);
    } else {
      when = metaDate(e, clock);
      if (when == null) errors.add("item " + n + ": no date element and no date in the text");
    }
    List<String> body = new ArrayList<>();
    for (Element p : e.select(BODY)) {
      String t = Extract.text(p);
      if (t != null && (d == null || !p.equals(d) && !d.parents().contains(p)) && !body.contains(t)) body.add(t);
    }
    String link = Extract.link(h);
    items.add(new ScrapedItem(title, body.isEmpty() ? null : String.join("\n", body), link != null ? link : Extract.link(e), when));
  }

  /** The first short meta-like element, outside the body and the heading, that reads as a date. */
  private static Instant metaDate(Element card, Clock clock) {
    for (Element m : card.select(META)) {
      if (inside(m, card)) continue;
      String raw = m.hasAttr("datetime") ? m.attr("datetime") : Extract.text(m);
      if (raw == null || raw.length() > META_MAX_CHARS) continue;
      Instant when = Extract.dateOrNull(raw, clock);
      if (when != null) return when;
    }
    return null;
  }

  /** True when {@code m} sits in a body or heading element of this card. */
  private static boolean inside(Element m, Element card) {
    for (Element p = m.parent(); p != null && p != card; p = p.parent()) {
      if (p.is(BODY) || p.is(HEADING)) return true;
    }
    return false;
  }
}
