package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import pharmaops.search.imports.Leaflet.Section;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo catalogue of a fresh installation: about fifty common Brazilian medicines (brands and generics,
 * their ingredients, manufacturers, EANs and short leaflet summaries) written for this project, in
 * {@code search/demo-catalogue.json}. Not official leaflet text; import ANVISA's list and real leaflets for that.
 */
public final class DemoCatalogue {
  static final String RESOURCE = "search/demo-catalogue.json";

  private DemoCatalogue() {}

  public static JsonArray products() {
    try (InputStream in = DemoCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("products");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** Inserts every demo product; run it in the seeding transaction. */
  static Future<Integer> insert(SqlConnection tx, JsonArray products) {
    List<Tuple> batch = new ArrayList<>();
    for (int i = 0; i < products.size(); i++) {
      JsonObject p = products.getJsonObject(i);
      JsonObject sections = p.getJsonObject("sections", new JsonObject());
      Tuple t = Tuple.of(p.getString("name"), Text.ingredients(String.join("+", strings(p.getJsonArray("activeIngredients"))))
          .toArray(String[]::new), null, "demo", p.getString("presentation"));
      for (Section s : Section.values()) t.addString(sections.getString(s.json));
      t.addString(p.getString("manufacturer")).addString(p.getString("category")).addString(p.getString("therapeuticClass"))
          .addString(p.getString("status")).addArrayOfString(strings(p.getJsonArray("eans")).toArray(String[]::new));
      batch.add(t);
    }
    return tx.preparedQuery(CatalogueSql.INSERT_PRODUCT).executeBatch(batch).map(rs -> batch.size());
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) for (Object o : a) out.add(String.valueOf(o));
    return out;
  }

  /** Loads it into an empty catalogue, under a lock so that nodes starting together seed once. */
  public static Future<ImportReport> seedIfEmpty(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(DemoCatalogue::products).compose(products ->
        CatalogueWrites.inTransaction(vertx, pool, "demo", tx -> tx.query(CatalogueSql.SEED_LOCK).execute()
                .compose(x -> tx.query(CatalogueSql.IS_EMPTY).execute())
                .compose(rows -> rows.iterator().next().getBoolean("empty") ? insert(tx, products) : Future.succeededFuture(0)))
            .compose(w -> CatalogueWrites.indexed(vertx, pool, w))
            .map(w -> new ImportReport("demo", products.size(), w.rows(), w.generation(), List.of())));
  }
}
