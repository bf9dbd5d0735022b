package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/** The leaflet catalogue, one row per product, filtered by manufacturer, category, status and last change. */
final class CatalogueReport implements ReportType {
  private static final String SQL = """
      SELECT id::text, name, array_to_string(active_ingredients, '; '), manufacturer, registration, category,
             therapeutic_class, status, array_to_string(eans, ' '), presentation,
             to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      FROM bula
      WHERE ($1::text IS NULL OR lower(manufacturer) = lower($1))
        AND ($2::text IS NULL OR lower(category) = lower($2))
        AND ($3::text IS NULL OR lower(status) = lower($3))
        AND ($4::timestamptz IS NULL OR updated_at >= $4)
      ORDER BY bula.id""";

  @Override
  public String name() {
    return "catalogue";
  }

  @Override
  public List<String> columns() {
    return List.of("id", "name", "activeIngredients", "manufacturer", "registration", "category", "therapeuticClass",
        "status", "eans", "presentation", "updatedAt");
  }

  @Override
  public List<ReportFilter> filters() {
    return List.of(ReportFilter.text("manufacturer"), ReportFilter.text("category"), ReportFilter.text("status"),
        ReportFilter.timestamp("updatedSince"));
  }

  @Override
  public String sql() {
    return SQL;
  }

  @Override
  public Tuple params(JsonObject f) {
    String since = f.getString("updatedSince");
    return Tuple.of(f.getString("manufacturer"), f.getString("category"), f.getString("status"),
        since == null ? null : OffsetDateTime.parse(since));
  }
}
