package pharmaops.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report types of this build. A new report is one class and one entry here. */
public final class ReportTypes {
  private final Map<String, ReportType> byName = new LinkedHashMap<>();

  public ReportTypes(List<ReportType> types) {
    for (ReportType t : types) {
      if (byName.putIfAbsent(t.name(), t) != null) throw new IllegalStateException("report type " + t.name() + " twice");
    }
  }

  /** Types whose tables exist on main now; KYC status, sync runs and scraped tasks join as their tables arrive. */
  public static ReportTypes standard() {
    return new ReportTypes(List.of(new CatalogueReport()));
  }

  public ReportType get(String name) {
    return byName.get(name);
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }

  /** {@code GET /reports/types}: {@code {"items":[{type, columns, filters:[{name, kind, values?}]}]}}. */
  public JsonObject json() {
    JsonArray items = new JsonArray();
    byName.values().forEach(t -> items.add(new JsonObject().put("type", t.name()).put("columns", new JsonArray(t.columns()))
        .put("filters", new JsonArray(t.filters().stream().map(ReportFilter::json).toList()))));
    return new JsonObject().put("items", items);
  }
}
