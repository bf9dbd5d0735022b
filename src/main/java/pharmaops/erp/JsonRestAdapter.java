package pharmaops.erp;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A paged JSON REST ERP: {@code GET /api/products?offset=&limit=&modifiedSince=<epoch ms>} answering
 * {@code {"total": n, "items": [{"id", "productName", "anvisaCode", "gtins": [], "labName", "labTaxId",
 * "substances": "A + B", "regulatoryCategory", "therapeuticClass", "registrationStatus", "packaging",
 * "modifiedAtMs"}]}}. Offset paging; times are epoch milliseconds.
 */
public final class JsonRestAdapter implements ErpAdapter {
  private final ErpConfig.Source source;

  JsonRestAdapter(ErpConfig.Source source) {
    this.source = source;
  }

  @Override
  public HttpRequest<Buffer> request(WebClient client, int page, Instant since) {
    var req = client.getAbs(source.baseUrl() + "/api/products")
        .addQueryParam("offset", Integer.toString(page * source.pageSize()))
        .addQueryParam("limit", Integer.toString(source.pageSize()));
    if (since != null) req.addQueryParam("modifiedSince", Long.toString(since.toEpochMilli()));
    return req;
  }

  @Override
  public Page parse(Buffer body, MultiMap headers) {
    JsonObject doc = body.toJsonObject();
    JsonArray items = doc.getJsonArray("items");
    Integer total = doc.getInteger("total");
    if (items == null || total == null || total < 0) throw new IllegalArgumentException("page without 'items' and 'total'");
    List<ErpRecord> records = new ArrayList<>(items.size());
    List<Rejected> garbage = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof JsonObject p)) {
        garbage.add(new Rejected(Records.hash(String.valueOf(o)), "garbage: item is not an object", String.valueOf(o)));
        continue;
      }
      try {
        records.add(record(p));
      } catch (RuntimeException e) {
        garbage.add(new Rejected(Records.hash(p.encode()), "garbage: " + e.getMessage(), p.encode()));
      }
    }
    return new Page(records, garbage, (total + source.pageSize() - 1) / source.pageSize());
  }

  private static ErpRecord record(JsonObject p) {
    List<String> gtins = new ArrayList<>();
    for (Object g : p.getJsonArray("gtins", new JsonArray())) gtins.add(String.valueOf(g));
    String substances = p.getString("substances");
    List<String> ingredients = substances == null ? List.of() : Arrays.asList(substances.split("\\+"));
    Long modified = p.getLong("modifiedAtMs");
    Object id = p.getValue("id");
    return new ErpRecord(id == null ? null : String.valueOf(id), p.getString("productName"), p.getString("anvisaCode"),
        gtins, p.getString("labName"), p.getString("labTaxId"), ingredients, p.getString("regulatoryCategory"),
        p.getString("therapeuticClass"), p.getString("registrationStatus"), p.getString("packaging"),
        modified == null ? null : Instant.ofEpochMilli(modified), p);
  }
}
