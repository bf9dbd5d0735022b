package pharmaops.kyc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan PostgreSQL picks for the first selection page ({@link KycSql#SELECT_PAGE}) on the data at hand, read
 * by KycSelectionIT (small data) and by bench/kyc (1M customers), which both fail on a sequential scan of the
 * attribute table.
 */
public record SelectionPlan(List<JsonObject> nodes, String text) {
  public static SelectionPlan explain(Pool pool, LocalDate day, LocalDate until, int pageSize) {
    Tuple args = Tuple.of(day, until, new String[] {"active"}, day.minusDays(1), Long.MAX_VALUE, pageSize);
    JsonArray json = new JsonArray(pool.preparedQuery("EXPLAIN (FORMAT JSON) " + KycSql.SELECT_PAGE).execute(args)
        .await().iterator().next().getValue(0).toString());
    List<JsonObject> nodes = new ArrayList<>();
    collect(json.getJsonObject(0).getJsonObject("Plan"), nodes);
    StringBuilder text = new StringBuilder();
    for (Row r : pool.preparedQuery("EXPLAIN " + KycSql.SELECT_PAGE).execute(args).await()) {
      text.append(r.getString(0)).append('\n');
    }
    return new SelectionPlan(nodes, text.toString());
  }

  /** Sequential scans of {@code relation} anywhere in the plan. */
  public long seqScansOf(String relation) {
    return nodes.stream().filter(n -> n.getString("Node Type").equals("Seq Scan")
        && relation.equals(n.getString("Relation Name"))).count();
  }

  public List<String> indexes() {
    return nodes.stream().map(n -> n.getString("Index Name")).filter(i -> i != null).distinct().toList();
  }

  private static void collect(JsonObject node, List<JsonObject> out) {
    out.add(node);
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) children.forEach(c -> collect((JsonObject) c, out));
  }
}
