package pharmaops.scraping;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes an item the same item. The fingerprint is a hash of the normalised title and body (case,
 * accents, no-break spaces and spacing do not count), so a re-render or a move to another URL is not new.
 * The identity is the link without tracking noise, or the title when there is no link or when several items
 * of the page share one link (every row pointing at the same sign-up form): a changed fingerprint under a
 * known identity is an edit, stored as a new version.
 */
final class Fingerprints {
  private Fingerprints() {}

  static String of(ScrapedItem item) {
    String content = PtDates.normalise(item.title()) + "\n" + (item.body() == null ? "" : PtDates.normalise(item.body()));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String identity(ScrapedItem item, boolean sharedLink) {
    if (item.link() == null) return "title:" + PtDates.normalise(item.title());
    if (sharedLink) return linkKey(item) + "#title:" + PtDates.normalise(item.title());
    return linkKey(item);
  }

  private static String linkKey(ScrapedItem item) {
    try {
      URI u = new URI(item.link());
      String query = u.getRawQuery() == null ? null
          : String.join("&", java.util.Arrays.stream(u.getRawQuery().split("&"))
              .filter(p -> !p.startsWith("utm_") && !p.startsWith("fbclid") && !p.startsWith("gclid")).sorted().toList());
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath().replaceAll("(?<=.)/$", "");
      return "link:" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + path + (query == null || query.isEmpty() ? "" : "?" + query);
    } catch (Exception e) {
      return "link:" + item.link();
    }
  }
}
