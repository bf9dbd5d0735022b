package pharmaops.scraping;

import java.util.List;

/**
 * What a scraper read from one page: its items, per-item problems ({@code "item 3: no title"}; one bad item
 * never fails the page), and the next page's absolute URL, if any.
 */
public record PageResult(List<ScrapedItem> items, List<String> errors, String nextUrl) {}
