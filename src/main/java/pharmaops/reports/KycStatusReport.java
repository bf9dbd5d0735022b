package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * KYC customers with their due date, pending documents and last reminder: what compliance chases. "Pending" is
 * the KYC capability's own definition ({@code kyc_pending_documents}: required kinds not submitted or approved,
 * plus any document missing or rejected), so the report and the reminders never disagree.
 */
final class KycStatusReport implements ReportType {
  private static final String SQL = """
      SELECT c.id::text, c.name, c.email, c.status, c.verified::text, c.parent_id::text,
             (SELECT a.value FROM kyc_customer_attribute a WHERE a.customer_id = c.id AND a.key = 'verification_due_date'),
             (SELECT string_agg(k || ':' || coalesce((SELECT d.state FROM kyc_document d
                                                        WHERE d.customer_id = c.id AND d.kind = k), 'missing'), '; ' ORDER BY k)
                FROM unnest(kyc_pending_documents(c.id)) k),
             (SELECT r.period || ' ' || r.state FROM kyc_reminder r WHERE r.customer_id = c.id
                ORDER BY r.claimed_at DESC LIMIT 1)
      FROM kyc_customer c
      WHERE ($1::text IS NULL OR lower(c.status) = lower($1))
        AND ($2::boolean IS NULL OR c.verified = $2)
        AND ($3::boolean IS NULL OR $3 = (cardinality(kyc_pending_documents(c.id)) > 0))
      ORDER BY c.id""";

  @Override
  public String name() {
    return "kyc-status";
  }

  @Override
  public List<String> columns() {
    return List.of("id", "name", "email", "status", "verified", "parentId", "verificationDueDate", "pendingDocuments",
        "lastReminder");
  }

  @Override
  public List<ReportFilter> filters() {
    return List.of(ReportFilter.text("status"), ReportFilter.oneOf("verified", List.of("true", "false")),
        ReportFilter.oneOf("pending", List.of("true", "false")));
  }

  @Override
  public String sql() {
    return SQL;
  }

  @Override
  public Tuple params(JsonObject f) {
    return Tuple.of(f.getString("status"), bool(f.getString("verified")), bool(f.getString("pending")));
  }

  private static Boolean bool(String v) {
    return v == null ? null : Boolean.valueOf(v);
  }
}
