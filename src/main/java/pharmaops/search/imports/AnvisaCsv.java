package pharmaops.search.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of ANVISA's open-data medicines list ({@code DADOS_ABERTOS_MEDICAMENTOS}): {@code ;}-separated,
 * either the converted form (bare fields, CRLF) or the agency's raw form (quoted text, {@code ""} escapes,
 * quoted fields spanning lines). Columns are found by header name, so their order may change. A row that
 * cannot be imported becomes a {@link ImportProblem} with its line number; parsing never stops early.
 */
public final class AnvisaCsv {
  static final String NAME = "NOME_PRODUTO";
  static final String REGISTRATION = "NUMERO_REGISTRO_PRODUTO";
  static final List<String> REQUIRED = List.of(NAME, REGISTRATION, "CATEGORIA_REGULATORIA", "DATA_VENCIMENTO_REGISTRO",
      "CLASSE_TERAPEUTICA", "EMPRESA_DETENTORA_REGISTRO", "SITUACAO_REGISTRO", "PRINCIPIO_ATIVO");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(java.time.format.ResolverStyle.STRICT);
  private static final Pattern COMPANY = Pattern.compile("^(\\d{14})\\s*-\\s*(.+)$");
  private static final Pattern NINE_DIGITS = Pattern.compile("\\d{9}");

  /** One importable row; {@code line} is where it starts in the file (the header is line 1). */
  public record Row(int line, String name, List<String> ingredients, String manufacturer, String cnpj,
                    String registration, String category, String therapeuticClass, String status, LocalDate expires) {}

  public record Parsed(List<Row> rows, List<ImportProblem> problems, int lines) {}

  private AnvisaCsv() {}

  public static Parsed parse(BufferedReader in) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<ImportProblem> problems = new ArrayList<>();
    String header = in.readLine();
    if (header == null) throw new IOException("the file is empty: expected a header naming " + REQUIRED);
    Map<String, Integer> cols = new HashMap<>();
    List<String> names = split(header.replace("\uFEFF", ""));
    for (int i = 0; i < names.size(); i++) cols.put(names.get(i).trim().toUpperCase(Locale.ROOT), i);
    List<String> missing = REQUIRED.stream().filter(c -> !cols.containsKey(c)).toList();
    if (!missing.isEmpty()) throw new IOException("not an ANVISA medicines CSV: the header lacks " + missing);

    int lineNo = 1;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      int start = lineNo;
      StringBuilder record = new StringBuilder(line);
      // A quoted field may hold a line break: keep reading until the quotes balance.
      while (openQuote(record) && (line = in.readLine()) != null) {
        lineNo++;
        record.append('\n').append(line);
      }
      if (record.toString().isBlank()) continue;
      List<String> f = split(record.toString());
      if (f.size() < names.size() && f.size() < maxIndex(cols) + 1) {
        problems.add(ImportProblem.rejected(start, "expected " + names.size() + " fields separated by ';', found " + f.size()));
        continue;
      }
      Row row = toRow(start, f, cols, problems);
      if (row != null) rows.add(row);
    }
    return new Parsed(rows, problems, lineNo);
  }

  private static Row toRow(int line, List<String> f, Map<String, Integer> cols, List<ImportProblem> problems) {
    String name = field(f, cols, NAME);
    String reg = field(f, cols, REGISTRATION);
    if (reg != null) reg = reg.replaceAll("[.\\-/\\s]", "");
    if (name == null) {
      problems.add(ImportProblem.rejected(line, NAME + " is empty"));
      return null;
    }
    if (!isRegistration(reg)) {
      problems.add(ImportProblem.rejected(line, REGISTRATION + " must be 9 digits, got '" + (reg == null ? "" : reg)
          + "' (product '" + name + "')"));
      return null;
    }
    String holder = field(f, cols, "EMPRESA_DETENTORA_REGISTRO");
    String manufacturer = holder;
    String cnpj = null;
    if (holder != null) {
      Matcher m = company(holder);
      if (m.matches()) {
        cnpj = m.group(1);
        manufacturer = Text.clean(m.group(2));
      }
    }
    String rawDate = field(f, cols, "DATA_VENCIMENTO_REGISTRO");
    LocalDate expires = null;
    try {
      expires = date(rawDate);
    } catch (DateTimeParseException e) {
      problems.add(ImportProblem.warning(line, "DATA_VENCIMENTO_REGISTRO '" + rawDate + "' is not dd/mm/yyyy; imported without it"));
    }
    return new Row(line, name, Text.ingredients(field(f, cols, "PRINCIPIO_ATIVO")), manufacturer, cnpj, reg,
        field(f, cols, "CATEGORIA_REGULATORIA"), field(f, cols, "CLASSE_TERAPEUTICA"),
        field(f, cols, "SITUACAO_REGISTRO"), expires);
  }

  private static int maxIndex(Map<String, Integer> cols) {
    return REQUIRED.stream().mapToInt(cols::get).max().orElse(0);
  }

  /** Splits one record on ';' outside quotes; quotes are removed and {@code ""} becomes {@code "}. */
  static List<String> split(String record) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < record.length() && record.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ';' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (c != '\r') {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static boolean openQuote(CharSequence s) {
    int quotes = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '"') quotes++;
    return quotes % 2 == 1;
  }

  static String field(List<String> f, Map<String, Integer> cols, String name) {
    Integer i = cols.get(name);
    return i == null || i >= f.size() ? null : Text.clean(f.get(i));
  }

  static Matcher company(String s) {
    return COMPANY.matcher(s);
  }

  static boolean isRegistration(String s) {
    return s != null && NINE_DIGITS.matcher(s).matches();
  }

  static LocalDate date(String s) throws DateTimeParseException {
    return s == null ? null : LocalDate.parse(s, DATE);
  }
}
