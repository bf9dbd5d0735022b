package pharmaops.search;

import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.search.imports.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated search, the same for HTTP and the event bus. Everything a client can get wrong is a 400 that
 * says what to fix; what reaches SQL is only words of {@code [a-z0-9]} and bound parameters.
 *
 * @param words      the query's words, folded (lower case, no accents)
 * @param prefix     whether the last word is still being typed (matched as a prefix)
 * @param identifier digits of an EAN or registration number when the query is one, else null
 */
public record SearchQuery(String q, List<String> words, boolean prefix, String identifier, String manufacturer,
                          String category, String status, int size, int offset, boolean useCache) {
  public static final int MAX_QUERY_LENGTH = 200;
  static final int MAX_WORDS = 10;
  private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\s.,/+()%°ºª®&:-]+");
  private static final Pattern DISALLOWED = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\s.,/+()%°ºª®&:-]");
  /** Strengths and units: rarely part of a catalogue name ("DIPIRONA SÓDICA"), so they never exclude a product. */
  private static final Pattern DOSE = Pattern.compile("[0-9]+|mg|ml|g|mcg|ui|cp|comp|cps|gotas?");
  private static final Pattern IDENTIFIER = Pattern.compile("[0-9][0-9 .\\-/]{6,20}[0-9]");

  /**
   * Reads and validates the parameters ({@code q, size, page, cursor, manufacturer, category, status, cache}).
   *
   * @param param     a parameter by name (null when absent)
   * @param mayBypass whether the caller may ask for {@code cache=false} (admins, for diagnosis and benchmarks)
   */
  public static SearchQuery parse(Function<String, String> param, SearchConfig cfg, boolean mayBypass) {
    String raw = param.apply("q");
    if (raw == null || raw.isBlank()) throw Problem.badRequest("Query parameter 'q' is required: a product name, active ingredient, EAN or registration number.");
    String q = raw.strip();
    if (q.length() > MAX_QUERY_LENGTH) {
      throw Problem.badRequest("Query parameter 'q' is " + q.length() + " characters long; the limit is " + MAX_QUERY_LENGTH + ".");
    }
    if (q.contains("--") || q.contains("/*") || !allowed(q)) {
      Matcher bad = DISALLOWED.matcher(q);
      String what = q.contains("--") ? "--" : q.contains("/*") ? "/*" : bad.find() ? bad.group() : "?";
      throw Problem.badRequest("Query parameter 'q' may hold letters, digits, spaces and . , / + ( ) % - & : only; found '" + what + "'.");
    }
    String folded = Text.fold(q);
    List<String> words = words(folded == null ? "" : folded);
    if (words.isEmpty() || String.join("", words).length() < 2) {
      throw Problem.badRequest("Query parameter 'q' must contain at least two letters or digits, got '" + Params.clip(q) + "'.");
    }
    if (words.size() > MAX_WORDS) throw Problem.badRequest("Query parameter 'q' has " + words.size() + " words; the limit is " + MAX_WORDS + ".");
    String identifier = IDENTIFIER.matcher(q).matches() ? q.replaceAll("[^0-9]", "") : null;
    if (identifier != null && (identifier.length() < 8 || identifier.length() > 14)) identifier = null;
    boolean prefix = !Character.isWhitespace(raw.charAt(raw.length() - 1)) && words.get(words.size() - 1).length() >= 3;

    int size = intParam(param, "size", cfg.defaultPageSize(), 1, cfg.maxPageSize());
    String cursor = param.apply("cursor");
    String page = param.apply("page");
    int offset;
    if (cursor != null && !cursor.isBlank()) {
      if (page != null && !page.isBlank()) throw Problem.badRequest("Send either 'cursor' or 'page', not both.");
      offset = Cursor.decode(cursor.strip());
    } else {
      int maxPage = Math.max(1, cfg.maxResults() / size);
      offset = (intParam(param, "page", 1, 1, maxPage) - 1) * size;
    }
    if (offset + size > cfg.maxResults()) {
      throw Problem.badRequest("Results are paginated up to " + cfg.maxResults() + "; refine the query instead of paging further.");
    }
    String cache = param.apply("cache");
    boolean useCache = true;
    if (cache != null && !cache.isBlank()) {
      if (!cache.strip().equals("true") && !cache.strip().equals("false")) throw Problem.badRequest("Query parameter 'cache' must be true or false.");
      useCache = cache.strip().equals("true");
      if (!useCache && !mayBypass) throw Problem.forbidden("Only admins may bypass the search cache (cache=false).");
    }
    return new SearchQuery(q, List.copyOf(words), prefix, identifier, filter(param, "manufacturer"), filter(param, "category"),
        filter(param, "status"), size, offset, useCache);
  }

  /** Letters, digits, spaces and a few marks; ASCII is checked by hand (it runs on every search, cached or not). */
  private static boolean allowed(String q) {
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c >= 0x80) return ALLOWED.matcher(q).matches();
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".,/+()%&:- \t\n\u000b\f\r".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** The runs of {@code [a-z0-9]} of a folded query, each cut at 40 characters. */
  private static List<String> words(String folded) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= folded.length(); i++) {
      char c = i < folded.length() ? folded.charAt(i) : ' ';
      boolean word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (word && start < 0) start = i;
      if (!word && start >= 0) {
        out.add(folded.substring(start, Math.min(i, start + 40)));
        start = -1;
      }
    }
    return out;
  }

  /**
   * The words every result must match: the query's words without strengths and units, unless that leaves
   * nothing. Strengths still rank through the exact-name comparison.
   */
  public List<String> terms() {
    List<String> t = words.stream().filter(w -> !DOSE.matcher(w).matches()).toList();
    return t.isEmpty() ? words : t;
  }

  /** Whether term {@code i} of {@link #terms()} is the word still being typed. */
  public boolean isPrefix(List<String> terms, int i) {
    return prefix && i == terms.size() - 1 && terms.get(i).equals(words.get(words.size() - 1));
  }

  /** The cache key: everything that changes the answer, nothing that does not (spacing, case, accents). */
  public String cacheKey() {
    return String.join(" ", words) + (prefix ? "*" : "") + "|" + (identifier == null ? "" : identifier) + "|"
        + fold(manufacturer) + "|" + fold(category) + "|" + fold(status) + "|" + size + "|" + offset;
  }

  private static String fold(String s) {
    return s == null ? "" : Text.fold(s);
  }

  private static String filter(Function<String, String> param, String name) {
    String v = param.apply(name);
    if (v == null || v.isBlank()) return null;
    v = v.strip();
    if (v.length() > 120) throw Problem.badRequest("Query parameter '" + name + "' is " + v.length() + " characters long; the limit is 120.");
    return v;
  }

  private static int intParam(Function<String, String> param, String name, int def, int min, int max) {
    String raw = param.apply(name);
    if (raw == null || raw.isBlank()) return def;
    try {
      long v = Long.parseLong(raw.strip());
      if (v >= min && v <= max) return (int) v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
        + ", got '" + Params.clip(raw) + "'.");
  }
}
