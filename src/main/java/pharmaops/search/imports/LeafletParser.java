package pharmaops.search.imports;

import pharmaops.search.imports.Leaflet.Section;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the text of a leaflet (pdftotext of an ANVISA Bulário PDF) into its sections.
 *
 * <p>The trap: many leaflets end with a change-history table ("Histórico de alteração da bula") whose cells
 * repeat the section titles ("6. Como devo", "8. QUAIS OS MALES"), and some files hold a second leaflet
 * (another dosage form) after the first. So a title only opens a section when it is upper case, has the
 * number its layout gives it, and comes after the previous section's number; and the first "DIZERES LEGAIS"
 * or history heading, or a second "1." title, ends the leaflet.
 */
public final class LeafletParser {
  private record Rule(int number, String prefix, Section section) {}

  private static final List<Rule> PATIENT = List.of(
      new Rule(1, "PARA QUE", Section.INDICATIONS),
      new Rule(2, "COMO ESTE MEDICAMENTO FUNCIONA", Section.HOW_IT_WORKS),
      new Rule(3, "QUANDO NAO DEVO", Section.CONTRAINDICATIONS),
      new Rule(4, "O QUE DEVO SABER", Section.WARNINGS),
      new Rule(5, "ONDE COMO", Section.STORAGE),
      new Rule(6, "COMO DEVO USAR", Section.DOSAGE),
      new Rule(7, "O QUE DEVO FAZER QUANDO", Section.MISSED_DOSE),
      new Rule(8, "QUAIS OS MALES", Section.ADVERSE_REACTIONS),
      new Rule(9, "O QUE FAZER SE ALGUEM", Section.OVERDOSE));
  private static final List<Rule> PROFESSIONAL = List.of(
      new Rule(1, "INDICACOES", Section.INDICATIONS),
      new Rule(2, "RESULTADOS DE EFICACIA", null),
      new Rule(3, "CARACTERISTICAS FARMACOLOGICAS", Section.HOW_IT_WORKS),
      new Rule(4, "CONTRAINDICACOES", Section.CONTRAINDICATIONS),
      new Rule(5, "ADVERTENCIAS E PRECAUCOES", Section.WARNINGS),
      new Rule(6, "INTERACOES MEDICAMENTOSAS", Section.INTERACTIONS),
      new Rule(7, "CUIDADOS DE ARMAZENAMENTO", Section.STORAGE),
      new Rule(8, "POSOLOGIA E MODO DE USAR", Section.DOSAGE),
      new Rule(9, "REACOES ADVERSAS", Section.ADVERSE_REACTIONS),
      new Rule(10, "SUPERDOSE", Section.OVERDOSE));

  private static final Pattern HEADER = Pattern.compile("^(\\d{1,2})\\s*[.)\\-–]?\\s*(\\S.*)$");
  private static final Pattern NUMBER_ONLY = Pattern.compile("^(\\d{1,2})\\s*[.)]?$");
  private static final Pattern END = Pattern.compile("^(I{1,3}\\W*)?DIZERES LEGAIS|HISTORICO DE ALTERAC");
  private static final Pattern REGISTRATION = Pattern.compile(
      "(?:M\\.?\\s?S\\.?|[Rr]egistro)[^0-9\\n]{0,25}(\\d)\\.?\\s?(\\d{4})\\.?\\s?(\\d{4})");
  private static final Pattern NOT_A_NAME = Pattern.compile(
      "(?i)^\\W*$|modelo de bula|bula (do|para o?) (paciente|profissional)|ltda|s\\.?a\\.?$|^\\W|farmac|laborat");
  private static final int MAX_SECTION_CHARS = 60_000;

  private LeafletParser() {}

  public static Leaflet parse(String file, String text) {
    String[] lines = text.replace("\r", "").split("\n", -1);
    Map<Section, String> patient = split(lines, PATIENT);
    Map<Section, String> professional = patient.size() >= 5 ? Map.of() : split(lines, PROFESSIONAL);
    boolean isPatient = patient.size() >= professional.size();
    Map<Section, String> sections = new EnumMap<>(Section.class);
    sections.putAll(isPatient ? patient : professional);
    if (isPatient) splitInteractions(sections);
    String composition = block(lines, "COMPOSIC", List.of("INFORMAC", "II ", "II-", "II.", "1.", "1 "));
    if (composition != null) sections.put(Section.COMPOSITION, composition);
    String presentation = block(lines, "APRESENTAC", List.of("USO ", "VIA ", "COMPOSIC", "INFORMAC"));
    String name = name(file, lines);
    return new Leaflet(file, name, ingredientsOf(name), registration(text), isPatient ? "patient" : "professional",
        presentation, sections);
  }

  /** Sections of one layout, in the order the layout numbers them; stops at the end of the first leaflet. */
  static Map<Section, String> split(String[] lines, List<Rule> rules) {
    Map<Section, String> out = new EnumMap<>(Section.class);
    Rule current = null;
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int consumed = 0;
      Matcher only = NUMBER_ONLY.matcher(line);
      if (only.matches()) {
        // "1." alone, the title on the next non-blank line (a PDF table cell).
        int j = i + 1;
        while (j < lines.length && j <= i + 2 && lines[j].isBlank()) j++;
        if (j < lines.length) {
          line = only.group(1) + ". " + lines[j].strip();
          consumed = j - i;
        }
      }
      Rule rule = match(line, rules);
      if (rule != null && (current == null || rule.number() > current.number())) {
        store(out, current, body);
        current = rule;
        body.setLength(0);
        i += consumed;
        // A long title may wrap: "... DO QUE A INDICADA DESTE" / "MEDICAMENTO?"
        if (!line.endsWith("?") && i + 1 < lines.length && isTitleTail(lines[i + 1].strip())) i++;
        continue;
      }
      // A new "1." is the next leaflet of the file; other titles out of order are cross-references in the text.
      if (current != null && (rule != null && rule.number() == 1 || END.matcher(fold(line)).find())) break;
      if (current != null && body.length() < MAX_SECTION_CHARS) body.append(lines[i]).append('\n');
    }
    store(out, current, body);
    return out;
  }

  private static Rule match(String line, List<Rule> rules) {
    Matcher m = HEADER.matcher(line);
    if (!m.matches()) return null;
    String title = m.group(2);
    if (!title.equals(title.toUpperCase(Locale.ROOT))) return null; // history cells are mostly mixed case
    int number = Integer.parseInt(m.group(1));
    String key = fold(title).replaceAll("[^A-Z ]", " ").replaceAll("\\s+", " ").trim();
    for (Rule r : rules) {
      if (r.number() == number && key.startsWith(r.prefix())) return r;
    }
    return null;
  }

  private static boolean isTitleTail(String line) {
    return !line.isEmpty() && line.length() < 60 && line.endsWith("?") && line.equals(line.toUpperCase(Locale.ROOT));
  }

  private static void store(Map<Section, String> out, Rule rule, StringBuilder body) {
    if (rule == null || rule.section() == null) return;
    String t = tidy(body.toString());
    if (t != null) out.putIfAbsent(rule.section(), t);
  }

  /** Patient leaflets keep drug interactions as a sub-heading of "4. O que devo saber": give them their own field. */
  private static void splitInteractions(Map<Section, String> sections) {
    String w = sections.get(Section.WARNINGS);
    if (w == null || sections.containsKey(Section.INTERACTIONS)) return;
    String[] lines = w.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String f = fold(lines[i].strip());
      if (f.length() < 60 && f.startsWith("INTERACOES MEDICAMENTOSAS")) {
        String before = tidy(String.join("\n", java.util.Arrays.copyOfRange(lines, 0, i)));
        String after = tidy(String.join("\n", java.util.Arrays.copyOfRange(lines, i + 1, lines.length)));
        if (after == null) return;
        sections.put(Section.INTERACTIONS, after);
        if (before != null) sections.put(Section.WARNINGS, before);
        else sections.remove(Section.WARNINGS);
        return;
      }
    }
  }

  /** The lines after a heading starting with {@code start} (its own rest included) up to one of {@code stops}. */
  static String block(String[] lines, String start, List<String> stops) {
    for (int i = 0; i < lines.length && i < 200; i++) {
      String f = fold(lines[i].strip());
      if (!f.startsWith(start)) continue;
      StringBuilder sb = new StringBuilder();
      int colon = lines[i].indexOf(':');
      if (colon >= 0) sb.append(lines[i].substring(colon + 1).strip()).append('\n');
      for (int j = i + 1; j < lines.length && j < i + 40; j++) {
        String g = fold(lines[j].strip());
        if (stops.stream().anyMatch(g::startsWith) || HEADER.matcher(lines[j].strip()).matches() && match(lines[j].strip(), PATIENT) != null) break;
        sb.append(lines[j]).append('\n');
      }
      String t = tidy(sb.toString());
      return t == null ? null : t.length() > 4000 ? t.substring(0, 4000) : t;
    }
    return null;
  }

  /** The product name: the first line that looks like one, else the file name ({@code bula_dipirona.txt}). */
  static String name(String file, String[] lines) {
    for (int i = 0; i < lines.length && i < 8; i++) {
      String l = Text.clean(lines[i].replace("®", "").replace("™", ""));
      if (l == null || l.length() < 3 || NOT_A_NAME.matcher(l).find()) continue;
      if (l.endsWith("+")) l = (l + " " + Text.clean(lines[i + 1 < lines.length ? i + 1 : i])).trim();
      return l.length() > 120 ? l.substring(0, 120) : l;
    }
    String base = file.replaceAll("(?i)\\.txt$", "").replaceFirst("^bula_", "").replace('_', ' ');
    return base.isBlank() ? file : base;
  }

  /** Generic leaflets are named by their ingredients in lower case ("losartana potássica"); brands are not. */
  static List<String> ingredientsOf(String name) {
    if (name == null || !name.equals(name.toLowerCase(Locale.ROOT))) return List.of();
    return Text.ingredients(name);
  }

  static String registration(String text) {
    Matcher m = REGISTRATION.matcher(text);
    return m.find() ? m.group(1) + m.group(2) + m.group(3) : null;
  }

  private static String tidy(String s) {
    String t = s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    return t.isEmpty() ? null : t;
  }

  static String fold(String s) {
    String f = Text.fold(s);
    return f == null ? "" : f.toUpperCase(Locale.ROOT);
  }
}
