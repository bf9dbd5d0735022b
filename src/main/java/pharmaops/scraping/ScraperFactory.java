package pharmaops.scraping;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds the scraper of a source's kind from its options. Each constructor validates its options and
 * throws {@link IllegalArgumentException} naming the bad one.
 */
public final class ScraperFactory {
  private static final Map<String, Function<JsonObject, Scraper>> KINDS = Map.of(
      "css", CssScraper::new,
      "table", TableScraper::new,
      "cards", CardsScraper::new);

  private ScraperFactory() {}

  public static Set<String> kinds() {
    return new TreeSet<>(KINDS.keySet());
  }

  public static Scraper create(String kind, JsonObject options) {
    var ctor = KINDS.get(kind);
    if (ctor == null) throw new IllegalArgumentException("unknown kind '" + kind + "'; known: " + kinds());
    return ctor.apply(options);
  }

  static List<String> validate(String kind, JsonObject options) {
    try {
      create(kind, options);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("options: " + e.getMessage());
    }
  }
}
