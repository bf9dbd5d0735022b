package pharmaops.scraping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;

/** A stored source: its id and its spec. */
record Source(long id, SourceSpec spec) {
  static Source from(Row r) {
    var errors = new ArrayList<String>();
    JsonObject j = new JsonObject().put("name", r.getString("name")).put("url", r.getString("url"))
        .put("kind", r.getString("kind")).put("schedule", r.getString("schedule"))
        .put("ratePerSecond", r.getDouble("rate_per_second")).put("maxConcurrency", r.getInteger("max_concurrency"))
        .put("maxPages", r.getInteger("max_pages")).put("respectRobots", r.getBoolean("respect_robots"))
        .put("options", (JsonObject) r.getValue("selectors")).put("channels", (JsonArray) r.getValue("channels"))
        .put("enabled", r.getBoolean("enabled"));
    SourceSpec spec = SourceSpec.parse(j, r.getString("origin"), errors);
    if (!errors.isEmpty()) throw new IllegalStateException("stored source " + r.getLong("id") + " is invalid: " + errors);
    return new Source(r.getLong("id"), spec);
  }
}
