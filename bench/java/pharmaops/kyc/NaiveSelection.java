package pharmaops.kyc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The benchmark's reference: the selection as the old nightly worker did it, rules applied in Java. */
final class NaiveSelection {
  private NaiveSelection() {}

  /** The old worker: load every customer row joined with its attributes and decide in code. */
  static Set<Long> select(String db, List<String> statuses, LocalDate from, LocalDate until) throws Exception {
    Set<Long> out = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.status, c.verified, c.parent_id, a.key, a.value "
          + "FROM kyc_customer c JOIN kyc_customer_attribute a ON a.customer_id = c.id ORDER BY c.id")) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          long current = -1;
          String status = null;
          boolean verified = false;
          boolean sub = false;
          Map<String, String> attrs = new HashMap<>();
          while (rs.next()) {
            long id = rs.getLong(1);
            if (id != current) {
              if (current > 0 && eligible(statuses, status, verified, sub, attrs, from, until)) out.add(current);
              current = id;
              status = rs.getString(2);
              verified = rs.getBoolean(3);
              rs.getLong(4);
              sub = !rs.wasNull();
              attrs.clear();
            }
            attrs.put(rs.getString(5), rs.getString(6));
          }
          if (current > 0 && eligible(statuses, status, verified, sub, attrs, from, until)) out.add(current);
        }
      }
    }
    return out;
  }

  static boolean eligible(List<String> statuses, String status, boolean verified, boolean sub, Map<String, String> a,
                          LocalDate from, LocalDate until) {
    String due = a.get("verification_due_date");
    if (!verified || !statuses.contains(status) || due == null || !"true".equals(a.get("verification_requested"))) return false;
    if (sub && "true".equals(a.get("disabled_subaccount"))) return false;
    LocalDate d = LocalDate.parse(due);
    return !d.isBefore(from) && !d.isAfter(until);
  }
}
