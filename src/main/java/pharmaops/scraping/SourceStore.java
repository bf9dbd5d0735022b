package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sources in PostgreSQL: configured ones are upserted at start (by name), API ones are inserted. */
final class SourceStore {
  private final Pool pool;

  SourceStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> syncConfigured(List<SourceSpec> specs) {
    Future<?> chain = Future.succeededFuture();
    for (SourceSpec s : specs) {
      chain = chain.compose(v -> pool.preparedQuery(ScrapingSql.SOURCE_UPSERT_CONFIG).execute(args(s)));
    }
    return chain.mapEmpty();
  }

  /** The new source's id, or empty when the name is taken. */
  Future<Optional<Long>> create(SourceSpec s) {
    return pool.preparedQuery(ScrapingSql.SOURCE_INSERT).execute(args(s))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getLong("id")));
  }

  Future<Optional<Source>> get(long id) {
    return pool.preparedQuery(ScrapingSql.SOURCE_GET).execute(Tuple.of(id))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(Source.from(rs.iterator().next())));
  }

  /** Claims every due source for this node (each slot goes to one node) and returns them. */
  Future<List<Source>> claimDue() {
    return pool.query(ScrapingSql.SOURCES_CLAIM_DUE).execute().map(rs -> {
      List<Source> out = new ArrayList<>();
      rs.forEach(r -> out.add(Source.from(r)));
      return out;
    });
  }

  /** {@code [{id, name, url, kind, schedule, health, lastRun}]}; health from the last run and the host's breaker. */
  Future<JsonArray> list(java.util.function.Function<String, String> breakerState) {
    return pool.query(ScrapingSql.SOURCE_LIST).execute().map(rs -> {
      JsonArray out = new JsonArray();
      for (Row r : rs) {
        JsonObject lastRun = r.getLong("run_id") == null ? null : new JsonObject()
            .put("id", r.getLong("run_id")).put("startedAt", r.getOffsetDateTime("started_at").toInstant().toString())
            .put("finishedAt", r.getOffsetDateTime("finished_at").toInstant().toString()).put("status", r.getString("status"))
            .put("pages", r.getInteger("pages")).put("itemsFound", r.getInteger("items_found"))
            .put("itemsNew", r.getInteger("items_new")).put("itemsEdited", r.getInteger("items_edited"))
            .put("itemErrors", r.getValue("item_errors")).put("bytes", r.getLong("bytes")).put("error", r.getString("error"));
        String url = r.getString("url");
        String breaker = breakerState.apply(url);
        out.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name")).put("url", url)
            .put("kind", r.getString("kind")).put("schedule", r.getString("schedule"))
            .put("health", health(r.getBoolean("enabled"), lastRun, breaker, r.getBoolean("empty_alerted")))
            .put("lastRun", lastRun));
      }
      return out;
    });
  }

  /** ok, failing (last run failed or the host's breaker is open), empty (items stopped), blocked, disabled, new. */
  private static String health(boolean enabled, JsonObject lastRun, String breaker, boolean emptyAlerted) {
    if (!enabled) return "disabled";
    if ("OPEN".equals(breaker)) return "failing";
    if (lastRun == null) return "new";
    if (emptyAlerted) return "empty";
    return switch (lastRun.getString("status")) {
      case "failed" -> "failing";
      case "blocked" -> "blocked";
      default -> "ok";
    };
  }

  private static Tuple args(SourceSpec s) {
    return Tuple.from(List.of(s.name(), s.url(), s.kind(), s.schedule(), s.interval().toMillis(), s.ratePerSecond(),
        s.maxConcurrency(), s.maxPages(), s.respectRobots(), s.options(), s.channels(), s.enabled()));
  }
}
