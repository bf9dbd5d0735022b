package pharmaops.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One filter a report type accepts, as {@code GET /reports/types} shows it.
 *
 * @param kind   {@code text} (case-insensitive exact match), {@code timestamp} (ISO-8601 instant or date) or
 *               {@code enum} (one of {@code values})
 * @param values allowed values of an enum filter, else null
 */
public record ReportFilter(String name, String kind, List<String> values) {
  public static ReportFilter text(String name) {
    return new ReportFilter(name, "text", null);
  }

  public static ReportFilter timestamp(String name) {
    return new ReportFilter(name, "timestamp", null);
  }

  public static ReportFilter oneOf(String name, List<String> values) {
    return new ReportFilter(name, "enum", List.copyOf(values));
  }

  JsonObject json() {
    JsonObject o = new JsonObject().put("name", name).put("kind", kind);
    if (values != null) o.put("values", new JsonArray(values));
    return o;
  }
}
