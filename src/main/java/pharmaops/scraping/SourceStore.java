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
import java.util.UUID;

/**
 * Sources in PostgreSQL: configured ones are upserted at start (by name), API ones are inserted. Each source
 * also carries its run lease: one run at a time, whoever starts it.
 */
final class SourceStore {
  /** A due source claimed by this node, with the token of its run lease. */
  record Claim(Source source, UUID lease) {}

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

  /** Takes the source's run lease for {@code ms} (or renews it when {@code lease} holds it already). */
  Future<Boolean> claimRun(long id, UUID lease, long ms) {
    return pool.preparedQuery(ScrapingSql.SOURCE_RUN_CLAIM).execute(Tuple.of(id, lease, ms)).map(rs -> rs.size() == 1);
  }

  Future<Void> releaseRun(long id, UUID lease) {
    return pool.preparedQuery(ScrapingSql.SOURCE_RUN_DONE).execute(Tuple.of(id, lease)).mapEmpty();
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

  /** Claims every due source for this node (each slot goes to one node), each leased for {@code leaseMs}. */
  Future<List<Claim>> claimDue(long leaseMs) {
    UUID lease = UUID.randomUUID();
    return pool.preparedQuery(ScrapingSql.SOURCES_CLAIM_DUE).execute(Tuple.of(leaseMs, lease)).map(rs -> {
      List<Claim> out = new ArrayList<>();
      rs.forEach(r -> out.add(new Claim(Source.from(r), lease)));
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
