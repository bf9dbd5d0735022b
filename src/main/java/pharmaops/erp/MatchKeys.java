package pharmaops.erp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which catalogue row each record of a batch belongs to, from the batch and what the catalogue holds; pure,
 * and independent of record order. A registered record is keyed by its registration, and adopts an EAN-only row
 * carrying one of its EANs. Records known only by EAN are grouped when they share an EAN; a group joins a row
 * carrying any of its EANs, a registered one first, else the smallest key, so the catalogue ends up the same
 * whichever ERP syncs first. An EAN-only row is keyed by the smallest EAN it carries ({@link #rekey}).
 * Not handled: a record that bridges two existing rows joins one of them; rows are never merged.
 *
 * @param keyed one product per row key (sorted: concurrent batches lock rows in the same order); products of
 *              one row are merged, the preferred one's fields with the union of their EANs
 * @param adopt EAN-only row key to the registration it takes
 * @param rekey EAN-only row key to the smaller EAN it is keyed by from now on
 */
record MatchKeys(TreeMap<String, Product> keyed, TreeMap<String, String> adopt, TreeMap<String, String> rekey) {

  /**
   * @param rowByEan        per EAN of the EAN-only records: the smallest key of a row carrying it
   * @param eanOnlyRowByEan per EAN of the registered records: the smallest key of an EAN-only row carrying it
   */
  static MatchKeys resolve(List<Product> products, Map<String, String> rowByEan, Map<String, String> eanOnlyRowByEan) {
    Map<String, String> registrationByEan = new HashMap<>();
    TreeMap<String, String> adopt = new TreeMap<>();
    TreeMap<String, Product> keyed = new TreeMap<>();
    for (Product p : products) {
      if (p.registration() == null) continue;
      for (String e : p.eans()) {
        registrationByEan.merge(e, p.registration(), MatchKeys::min);
        String row = eanOnlyRowByEan.get(e);
        if (row != null) adopt.merge(row, p.registration(), MatchKeys::min);
      }
      keyed.merge(p.registration(), p, MatchKeys::merge);
    }
    List<List<Product>> groups = groups(products);
    List<String> targets = new ArrayList<>(groups.size());
    Map<String, String> rowKeys = new HashMap<>(); // an existing EAN-only row -> its key after this batch
    for (List<Product> g : groups) {
      String own = g.stream().map(Product::ownKey).min(Comparator.naturalOrder()).orElseThrow();
      String target = null;
      for (Product p : g) {
        for (String e : p.eans()) {
          String row = rowByEan.get(e);
          target = min(target, registrationByEan.get(e));
          target = min(target, row == null ? null : adopt.getOrDefault(row, row));
        }
      }
      if (target == null) target = own;
      else if (target.startsWith("ean:")) rowKeys.merge(target, min(target, own), MatchKeys::min);
      targets.add(target);
    }
    for (int i = 0; i < groups.size(); i++) {
      String key = rowKeys.getOrDefault(targets.get(i), targets.get(i));
      for (Product p : groups.get(i)) keyed.merge(key, p, MatchKeys::merge);
    }
    TreeMap<String, String> rekey = new TreeMap<>();
    rowKeys.forEach((row, key) -> {
      if (!row.equals(key)) rekey.put(row, key.substring(4));
    });
    return new MatchKeys(keyed, adopt, rekey);
  }

  /** The EAN-only products, grouped by shared EANs (union-find over EANs). */
  private static List<List<Product>> groups(List<Product> products) {
    Map<String, String> parent = new HashMap<>();
    for (Product p : products) {
      if (p.registration() != null) continue;
      for (String e : p.eans()) union(parent, p.eans().get(0), e);
    }
    Map<String, List<Product>> byRoot = new TreeMap<>();
    for (Product p : products) {
      if (p.registration() == null) byRoot.computeIfAbsent(find(parent, p.eans().get(0)), r -> new ArrayList<>()).add(p);
    }
    return new ArrayList<>(byRoot.values());
  }

  private static String find(Map<String, String> parent, String e) {
    String root = e;
    while (parent.containsKey(root) && !parent.get(root).equals(root)) root = parent.get(root);
    parent.put(e, root);
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    parent.putIfAbsent(a, a);
    parent.putIfAbsent(b, b);
    String ra = find(parent, a);
    String rb = find(parent, b);
    // the smaller EAN is the root, so the grouping does not depend on the order records come in
    if (!ra.equals(rb)) {
      if (ra.compareTo(rb) < 0) parent.put(rb, ra);
      else parent.put(ra, rb);
    }
  }

  /** Of two records of one ERP for one row: the preferred one's fields, with the EANs of both. */
  static Product merge(Product a, Product b) {
    Product p = preferred(a, b);
    if (a.eans().equals(b.eans())) return p;
    TreeSet<String> eans = new TreeSet<>(a.eans());
    eans.addAll(b.eans());
    return new Product(p.externalId(), p.name(), p.registration(), List.copyOf(eans), p.manufacturer(), p.cnpj(),
        p.activeIngredients(), p.category(), p.therapeuticClass(), p.status(), p.presentation(), p.updatedAt());
  }

  /** The registered one, then the later change, then the larger id. */
  private static Product preferred(Product a, Product b) {
    Comparator<Product> order = Comparator.<Product, Boolean>comparing(p -> p.registration() != null)
        .thenComparing(p -> p.updatedAt() == null ? java.time.Instant.MIN : p.updatedAt())
        .thenComparing(Product::externalId);
    return order.compare(a, b) >= 0 ? a : b;
  }

  private static String min(String a, String b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) <= 0 ? a : b;
  }
}
