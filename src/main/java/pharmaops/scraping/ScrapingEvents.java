package pharmaops.scraping;

/**
 * Event-bus addresses of the scraping capability.
 * <p>{@link #ITEM_NEW} is published (cluster-wide) once per new item, right after the scrape that found it:
 * <pre>{"id": 42, "sourceId": 3, "source": "gincana-tarefas", "title": "Tarefa 7", "body": "...",
 *  "link": "https://...", "postedAt": "2026-11-25T17:00:00Z", "firstSeenAt": "2026-11-25T17:00:03.120Z",
 *  "version": 1, "detectedAt": "2026-11-25T17:00:03.125Z"}</pre>
 * {@code body}, {@code link} and {@code postedAt} may be null. WebSocket subscribers of {@code /ws/scraping}
 * receive exactly this JSON.
 */
public final class ScrapingEvents {
  public static final String ITEM_NEW = "scraping.item.new";

  private ScrapingEvents() {}
}
