package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/** ERP sync runs, one row per run and ERP, with the counts of each outcome. */
final class SyncRunsReport implements ReportType {
  private static final String SQL = """
      SELECT r.id::text, r.trigger, r.full_sync::text, r.state, o.source, o.state, o.fetched::text, o.inserted::text,
             o.updated::text, o.unchanged::text, o.quarantined::text, coalesce(o.error, r.error),
             to_char(coalesce(o.started_at, r.started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             to_char(coalesce(o.finished_at, r.finished_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      FROM erp_sync_run r LEFT JOIN erp_sync_outcome o ON o.run_id = r.id
      WHERE ($1::text IS NULL OR r.state = $1)
        AND ($2::timestamptz IS NULL OR r.created_at >= $2)
      ORDER BY r.id, o.source""";

  @Override
  public String name() {
    return "sync-runs";
  }

  @Override
  public List<String> columns() {
    return List.of("runId", "trigger", "full", "runState", "erp", "erpState", "fetched", "inserted", "updated",
        "unchanged", "quarantined", "error", "startedAt", "finishedAt");
  }

  @Override
  public List<ReportFilter> filters() {
    return List.of(ReportFilter.oneOf("state", List.of("queued", "running", "succeeded", "partial", "failed")),
        ReportFilter.timestamp("since"));
  }

  @Override
  public String sql() {
    return SQL;
  }

  @Override
  public Tuple params(JsonObject f) {
    String since = f.getString("since");
    return Tuple.of(f.getString("state"), since == null ? null : OffsetDateTime.parse(since));
  }
}
