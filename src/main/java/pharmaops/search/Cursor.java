package pharmaops.search;

import pharmaops.http.Problem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code next} token of a search: the position in the (bounded, stably ordered) result list.
 * Opaque so clients never build it and the server may change what it holds.
 */
final class Cursor {
  private static final String VERSION = "o1:";

  private Cursor() {}

  static String encode(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + offset).getBytes(StandardCharsets.UTF_8));
  }

  static int decode(String cursor) {
    try {
      if (cursor.length() > 64) throw new IllegalArgumentException("too long");
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!s.startsWith(VERSION)) throw new IllegalArgumentException("unknown version");
      int offset = Integer.parseInt(s.substring(VERSION.length()));
      if (offset < 0) throw new IllegalArgumentException("negative");
      return offset;
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("Query parameter 'cursor' is not a cursor this server issued; use the 'next' value of a previous page.");
    }
  }
}
