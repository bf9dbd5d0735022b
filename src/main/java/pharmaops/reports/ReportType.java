package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * One kind of report: a query, its column headings and the filters it accepts. Adding a report (KYC status,
 * sync runs, scraped tasks) is one small class listed in {@link ReportTypes}.
 */
public interface ReportType {
  /** As clients send it: {@code {"type": "catalogue"}}. */
  String name();

  /** CSV header, in the order of the query's columns. */
  List<String> columns();

  List<ReportFilter> filters();

  /**
   * The query: every column cast to text (the worker writes them as they come), ending with a stable ORDER BY on
   * a table column (qualified: an output column of the same name is text and would sort as text), and
   * parameters from {@link #params}; filters that are absent arrive as NULL and must then not restrict.
   */
  String sql();

  /**
   * How many rows {@link #sql()} returns, for progress: without its final ORDER BY, which a count does not need
   * and which would keep PostgreSQL from flattening the subquery (a sort or an ordered scan for nothing).
   */
  default String countSql() {
    String sql = sql();
    int order = sql.lastIndexOf("ORDER BY");
    return "SELECT count(*) FROM (" + (order < 0 ? sql : sql.substring(0, order)) + ") q";
  }

  /** Parameters of {@link #sql()} from filters already validated by {@link ReportFilters}. */
  Tuple params(JsonObject filters);
}
