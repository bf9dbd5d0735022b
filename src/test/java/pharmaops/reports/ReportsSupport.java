package pharmaops.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import pharmaops.support.TestApp;

import java.util.concurrent.TimeUnit;

/** Test data and callers for the report tests. */
final class ReportsSupport {
  private ReportsSupport() {}

  /** A token of its own subject (tokens made by {@link TestApp#tokenWithRoles} share theirs). */
  static String user(TestApp app, String subject, String... roles) {
    var r = app.post("/api/v1/tokens", TestApp.ADMIN_TOKEN,
        new JsonObject().put("subject", subject).put("roles", new JsonArray(java.util.List.of(roles))).encode());
    if (r.status() != 201) throw new IllegalStateException(r.toString());
    return r.json().getString("token");
  }

  static void sql(TestApp app, String sql, Object... args) {
    try {
      app.app().platform().pool().preparedQuery(sql).execute(Tuple.from(args)).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /**
   * {@code n} catalogue rows of manufacturer {@code maker}, ids ascending; every 10th has a name a spreadsheet
   * would evaluate and every 7th one with a comma, a quote and a line break.
   */
  static void seed(TestApp app, String maker, int n) {
    sql(app, """
        INSERT INTO bula (name, manufacturer, category, status, active_ingredients, eans, source, updated_at)
        SELECT CASE WHEN g % 10 = 0 THEN '=HYPERLINK("http://evil/' || g || '")'
                    WHEN g % 7 = 0 THEN 'Dipirona, "forte"' || chr(10) || 'Sódica ' || g
                    ELSE 'Produto ' || g END,
               $1, 'GENÉRICO', 'VÁLIDO', ARRAY['dipirona', 'cafeína'], ARRAY['789' || lpad(g::text, 10, '0')], 'test',
               now() - (g || ' minutes')::interval
        FROM generate_series(1, $2) g""", maker, n);
  }
}
