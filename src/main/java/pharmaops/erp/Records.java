package pharmaops.erp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of ERP records. A record is either accepted as a {@link Product} or rejected
 * with a reason a person can act on; nothing here throws on bad data, since one bad record must never stop
 * a run.
 */
public final class Records {
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern PUNCTUATION = Pattern.compile("[.\\-/\\s]");
  private static final Pattern REGISTRATION = Pattern.compile("\\d{9,13}");
  private static final Pattern NON_DIGITS = Pattern.compile("\\D");
  private static final int MAX_TEXT = 2000;

  /** The outcome of checking one record. */
  public sealed interface Checked permits Accepted, Refused {}

  public record Accepted(Product product) implements Checked {}

  public record Refused(Rejected rejected) implements Checked {}

  private Records() {}

  public static Checked check(ErpRecord r) {
    String key = r.externalId() != null && !r.externalId().isBlank() ? r.externalId().trim() : hash(String.valueOf(r.raw()));
    String name = text(r.name());
    if (name == null) return refuse(key, "missing name", r);
    if (name.length() > MAX_TEXT) return refuse(key, "name longer than " + MAX_TEXT + " characters", r);
    String registration = null;
    if (r.registration() != null && !r.registration().isBlank()) {
      registration = PUNCTUATION.matcher(r.registration()).replaceAll("");
      if (!REGISTRATION.matcher(registration).matches()) return refuse(key, "bad registration number '" + clip(r.registration()) + "'", r);
    }
    TreeSet<String> eans = new TreeSet<>();
    for (String e : r.eans() == null ? List.<String>of() : r.eans()) {
      if (e == null || e.isBlank()) continue;
      String digits = e.trim();
      if (!validEan(digits)) return refuse(key, "bad EAN '" + clip(e) + "' (not 8 or 13 digits with a valid check digit)", r);
      eans.add(digits);
    }
    if (registration == null && eans.isEmpty()) return refuse(key, "neither registration number nor EAN", r);
    String cnpj = null;
    if (r.cnpj() != null && !r.cnpj().isBlank()) {
      cnpj = NON_DIGITS.matcher(r.cnpj()).replaceAll("");
      if (cnpj.length() != 14) return refuse(key, "bad CNPJ '" + clip(r.cnpj()) + "'", r);
    }
    List<String> ingredients = new ArrayList<>();
    for (String i : r.activeIngredients() == null ? List.<String>of() : r.activeIngredients()) {
      String n = ingredient(i);
      if (n != null && !ingredients.contains(n)) ingredients.add(n);
    }
    return new Accepted(new Product(key, name, registration, List.copyOf(eans), text(r.manufacturer()), cnpj,
        List.copyOf(ingredients), upper(r.category()), upper(r.therapeuticClass()), upper(r.status()),
        text(r.presentation()), r.updatedAt()));
  }

  /** EAN-8 or EAN-13 with a correct GS1 check digit. */
  public static boolean validEan(String s) {
    if (s == null || (s.length() != 13 && s.length() != 8)) return false;
    int sum = 0;
    for (int i = 0; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
      int weight = (s.length() - 1 - i) % 2 == 1 ? 3 : 1; // weights alternate 3,1 from the right of the payload
      sum += (c - '0') * weight;
    }
    char last = s.charAt(s.length() - 1);
    return last >= '0' && last <= '9' && (10 - sum % 10) % 10 == last - '0';
  }

  /** Lower case, unaccented, single spaces: the form the catalogue keeps ingredients in. */
  static String ingredient(String s) {
    String t = text(s);
    if (t == null) return null;
    if (ascii(t)) return t.toLowerCase(Locale.ROOT);
    return MARKS.matcher(Normalizer.normalize(t, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }

  static String text(String s) {
    if (s == null) return null;
    if (tidy(s)) return s;
    String t = SPACES.matcher(s).replaceAll(" ").trim();
    return t.isEmpty() ? null : t;
  }

  /** Already single-spaced and trimmed (most values are): no regex needed. */
  private static boolean tidy(String s) {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < ' ' || Character.isWhitespace(c) && c != ' ' || c == ' ' && s.charAt(i + 1) == ' ') return false;
    }
    return true;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return false;
    return true;
  }

  private static String upper(String s) {
    String t = text(s);
    return t == null ? null : t.toUpperCase(Locale.ROOT);
  }

  private static Refused refuse(String key, String reason, ErpRecord r) {
    return new Refused(new Rejected(key, reason, r.raw() == null ? "" : r.raw().toString()));
  }

  static String hash(String raw) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((raw == null ? "" : raw).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
