package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/** Tasks and notices scraped from organisers' sites, current version of each, by source and first-seen time. */
final class ScrapedTasksReport implements ReportType {
  private static final String SQL = """
      SELECT i.id::text, s.name, i.title, i.body, i.link,
             to_char(i.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             to_char(i.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), i.version::text
      FROM scraping_item i JOIN scraping_source s ON s.id = i.source_id
      WHERE ($1::text IS NULL OR lower(s.name) = lower($1))
        AND ($2::timestamptz IS NULL OR i.first_seen_at >= $2)
      ORDER BY i.id""";

  @Override
  public String name() {
    return "scraped-tasks";
  }

  @Override
  public List<String> columns() {
    return List.of("id", "source", "title", "body", "link", "postedAt", "firstSeenAt", "version");
  }

  @Override
  public List<ReportFilter> filters() {
    return List.of(ReportFilter.text("source"), ReportFilter.timestamp("since"));
  }

  @Override
  public String sql() {
    return SQL;
  }

  @Override
  public Tuple params(JsonObject f) {
    String since = f.getString("since");
    return Tuple.of(f.getString("source"), since == null ? null : OffsetDateTime.parse(since));
  }
}
