package pharmaops.search.imports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalisation shared by the importers, matching what V10 promises for stored values. */
public final class Text {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private Text() {}

  /** Trimmed, inner whitespace collapsed; null when blank. */
  public static String clean(String s) {
    if (s == null) return null;
    String t = SPACES.matcher(s.replace('\u00a0', ' ')).replaceAll(" ").trim();
    return t.isEmpty() ? null : t;
  }

  /** Lower case without accents: how V10 stores active ingredients. */
  public static String fold(String s) {
    if (s == null) return null;
    return isAscii(s) ? foldAscii(s) : foldAny(s);
  }

  static String foldAny(String s) {
    String t = clean(s);
    if (t == null) return null;
    return MARKS.matcher(Normalizer.normalize(t, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
    return true;
  }

  /**
   * {@link #fold} of an ASCII string in one pass (a search query usually is one, and this runs on every cached
   * search): runs of {@code \s} become one space, the ends are trimmed as {@link String#trim} does, A-Z lower.
   */
  static String foldAscii(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) <= ' ') from++;
    while (to > from && s.charAt(to - 1) <= ' ') to--;
    if (from == to) return null;
    StringBuilder b = new StringBuilder(to - from);
    boolean gap = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
        gap = true;
        continue;
      }
      if (gap) b.append(' ');
      gap = false;
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return b.toString();
  }

  /** ANVISA joins ingredients with '+' ("PARACETAMOL + CAFEÍNA"): one normalised element each, no repeats. */
  public static List<String> ingredients(String joined) {
    if (joined == null) return List.of();
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String part : joined.split("\\+")) {
      String f = fold(part);
      if (f != null) out.add(f);
    }
    return new ArrayList<>(out);
  }
}
