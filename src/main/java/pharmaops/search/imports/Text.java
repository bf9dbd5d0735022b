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
    String t = clean(s);
    if (t == null) return null;
    return MARKS.matcher(Normalizer.normalize(t, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
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
