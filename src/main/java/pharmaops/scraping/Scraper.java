package pharmaops.scraping;

import org.jsoup.nodes.Document;

import java.time.Clock;

/**
 * Reads items from one parsed page. Implementations are pure and thread-safe: they run on worker threads,
 * never on an event loop. A new kind of site is one class implementing this, named in {@link ScraperFactory}.
 */
public interface Scraper {
  PageResult parse(Document page, Clock clock);
}
