package pharmaops.erp;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Product sets for the ERP simulators: the real ANVISA medicines list joined with the CMED EAN list (read by
 * path from {@code ../shared/data}, never copied), or a synthetic set of any size for benchmarks.
 */
final class SimCatalogue {
  static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private SimCatalogue() {}

  /** The shared data folder ({@code SHARED_DATA} or {@code ../shared/data}), or null when absent. */
  static Path sharedData() {
    String env = System.getenv("SHARED_DATA");
    Path p = Path.of(env != null && !env.isBlank() ? env : "../shared/data");
    return Files.exists(p.resolve("anvisa/medicamentos.csv")) && Files.exists(p.resolve("cmed/precos_ean.csv")) ? p : null;
  }

  /**
   * Up to {@code limit} ANVISA products (with the CMED EANs of the same holder and product name), then
   * CMED products no ANVISA row matched, known only by EAN. Real defects (bad EANs, odd spacing) stay.
   */
  static List<SimProduct> fromSharedData(Path data, int limit) throws IOException {
    Map<String, List<String>> eansByKey = new HashMap<>();
    List<String[]> cmed = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(data.resolve("cmed/precos_ean.csv"), StandardCharsets.UTF_8)) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        List<String> f = CsvExportAdapter.split(line);
        if (f.size() < 6) continue;
        String[] row = f.toArray(String[]::new);
        cmed.add(row);
        eansByKey.computeIfAbsent(key(row[1], row[4]), k -> new ArrayList<>()).add(row[3].trim());
      }
    }
    List<SimProduct> out = new ArrayList<>();
    var used = new LinkedHashSet<String>();
    try (BufferedReader r = Files.newBufferedReader(data.resolve("anvisa/medicamentos.csv"), StandardCharsets.UTF_8)) {
      r.readLine();
      for (String line; (line = r.readLine()) != null && out.size() < limit; ) {
        List<String> f = CsvExportAdapter.split(line);
        if (f.size() < 11) continue;
        String holder = f.get(8);
        int dash = holder.indexOf(" - ");
        String cnpj = dash > 0 ? holder.substring(0, dash).trim() : "";
        String company = dash > 0 ? holder.substring(dash + 3).trim() : holder.trim();
        String k = key(cnpj, f.get(1));
        List<String> eans = eansByKey.getOrDefault(k, List.of());
        if (!eans.isEmpty()) used.add(k);
        out.add(new SimProduct(out.size() + 1, f.get(1), f.get(4), eans, company, cnpj,
            f.get(10).isBlank() ? List.of() : Arrays.asList(f.get(10).split("\\+")), f.get(3), f.get(7), f.get(9), null,
            BASE.plus(out.size(), ChronoUnit.SECONDS)));
      }
    }
    for (String[] row : cmed) {
      if (out.size() >= limit) break;
      if (used.contains(key(row[1], row[4]))) continue;
      out.add(new SimProduct(out.size() + 1, row[4], null, List.of(row[3].trim()), row[2], row[1],
          Arrays.asList(row[0].split(";")), null, null, null, row[5], BASE.plus(out.size(), ChronoUnit.SECONDS)));
    }
    return out;
  }

  private static String key(String cnpj, String product) {
    return cnpj.replaceAll("\\D", "") + "|" + product.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
  }

  /**
   * {@code n} valid products with registrations {@code firstRegistration..} and one EAN each, deterministic
   * for a seed. Sets with disjoint registration ranges never overlap.
   */
  static List<SimProduct> synthetic(int n, long firstRegistration, long seed) {
    Random rnd = new Random(seed);
    String[] labs = {"EMS S/A", "EUROFARMA LABORATÓRIOS S.A.", "MEDLEY FARMACÊUTICA LTDA", "ACHÉ LABORATÓRIOS FARMACÊUTICOS S.A."};
    String[] drugs = {"DIPIRONA", "PARACETAMOL", "IBUPROFENO", "AMOXICILINA", "LOSARTANA", "OMEPRAZOL", "SINVASTATINA", "METFORMINA"};
    List<SimProduct> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long reg = firstRegistration + i;
      String drug = drugs[rnd.nextInt(drugs.length)];
      out.add(new SimProduct(i + 1, drug + " " + (100 + rnd.nextInt(900)) + " MG " + reg, Long.toString(reg),
          List.of(ean13("789" + String.format("%09d", reg % 1_000_000_000L))), labs[rnd.nextInt(labs.length)],
          "6087418700018" + (i % 10), List.of(drug), "GENÉRICO", "ANALGÉSICOS", "VÁLIDO", "CX 20 COMP",
          BASE.plus(i, ChronoUnit.SECONDS)));
    }
    return out;
  }

  /** Two records every sync must quarantine: one without a name, one with a wrong EAN check digit. */
  static List<SimProduct> invalid(long firstId) {
    return List.of(
        new SimProduct(firstId, "  ", "999000001", List.of(), "LAB", null, List.of(), null, null, null, null, BASE),
        new SimProduct(firstId + 1, "BAD EAN 10 MG", "999000002", List.of("1234567890123"), "LAB", null, List.of(), null,
            null, null, null, BASE));
  }

  /** Appends the GS1 check digit to 12 digits. */
  static String ean13(String twelve) {
    int sum = 0;
    for (int i = 0; i < 12; i++) sum += (twelve.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    return twelve + (10 - sum % 10) % 10;
  }
}
