package pharmaops.scraping;

import java.time.Instant;

/**
 * One item as read from a page, before history. {@code postedAt} is null when the page gives no readable
 * date (the run records why); {@code body} and {@code link} may be null.
 */
public record ScrapedItem(String title, String body, String link, Instant postedAt) {}
