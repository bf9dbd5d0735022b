package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Sources in PostgreSQL: configured ones are upserted at start (by name; a changed URL, kind or selectors
 * forgets the pages' validators, as an API update does) and those no longer configured are disabled; API ones are inserted, updated and disabled through the API (never deleted: their history stays).
 * Each source also carries its run lease: one run at a time, whoever starts it.
 */
final class SourceStore {
  private static final Logger log = LoggerFactory.getLogger(SourceStore.class);

  /** A due source claimed by this node, with the token of its run lease. */
  record Claim(Source source, UUID lease) {}

  /** What an update came to. */
  enum Update { UPDATED, NOT_FOUND, CONFIGURED, NAME_TAKEN }

  private final Pool pool;

  SourceStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> syncConfigured(List<SourceSpec> specs) {
    Future<?> chain = Future.succeededFuture();
    for (SourceSpec s : specs) {
      chain = chain.compose(v -> pool.withTransaction(tx -> tx.preparedQuery(ScrapingSql.PAGES_FORGET_IF_CHANGED)
          .execute(Tuple.of(s.name(), s.url(), s.kind(), s.options()))
          .compose(x -> tx.preparedQuery(ScrapingSql.SOURCE_UPSERT_CONFIG).execute(args(s)))));
    }
    String[] names = specs.stream().map(SourceSpec::name).toArray(String[]::new);
    return chain.compose(v -> pool.preparedQuery(ScrapingSql.SOURCES_DISABLE_UNCONFIGURED).execute(Tuple.tuple().addArrayOfString(names)))
        .onSuccess(rs -> rs.forEach(r -> log.info("configured source removed from the configuration: disabled {}",
            kv("source", r.getString("name")))))
        .mapEmpty();
  }

  /**
   * Replaces an API source's spec (and forgets its pages' validators, so new selectors see the pages again).
   * Configured sources are changed in the configuration, not here.
   */
  Future<Update> update(long id, SourceSpec s) {
    List<Object> values = new ArrayList<>();
    values.add(id);
    values.addAll(values(s));
    Tuple t = Tuple.from(values);
    return pool.withTransaction(conn -> conn.preparedQuery(ScrapingSql.SOURCE_ORIGIN).execute(Tuple.of(id)).compose(rs -> {
      if (rs.size() == 0) return Future.succeededFuture(Update.NOT_FOUND);
      if (!"api".equals(rs.iterator().next().getString("origin"))) return Future.succeededFuture(Update.CONFIGURED);
      return conn.preparedQuery(ScrapingSql.SOURCE_UPDATE).execute(t)
          .compose(x -> conn.preparedQuery(ScrapingSql.PAGES_FORGET).execute(Tuple.of(id)))
          .map(Update.UPDATED);
    })).recover(err -> err instanceof PgException pe && "23505".equals(pe.getSqlState())
        ? Future.succeededFuture(Update.NAME_TAKEN) : Future.failedFuture(err));
  }

  /** Stops scheduling an API source; NOT_FOUND or CONFIGURED as for {@link #update}. */
  Future<Update> disable(long id) {
    return pool.withTransaction(conn -> conn.preparedQuery(ScrapingSql.SOURCE_ORIGIN).execute(Tuple.of(id)).compose(rs -> {
      if (rs.size() == 0) return Future.succeededFuture(Update.NOT_FOUND);
      if (!"api".equals(rs.iterator().next().getString("origin"))) return Future.succeededFuture(Update.CONFIGURED);
      return conn.preparedQuery(ScrapingSql.SOURCE_DISABLE).execute(Tuple.of(id)).map(Update.UPDATED);
    }));
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
    return described(null, breakerState);
  }

  /** One source as {@link #list} shows it, or empty. */
  Future<java.util.Optional<JsonObject>> describe(long id, java.util.function.Function<String, String> breakerState) {
    return described(id, breakerState).map(a -> a.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(a.getJsonObject(0)));
  }

  private Future<JsonArray> described(Long id, java.util.function.Function<String, String> breakerState) {
    return pool.preparedQuery(ScrapingSql.SOURCE_LIST).execute(Tuple.of(id)).map(rs -> {
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
    return Tuple.from(values(s));
  }

  private static List<Object> values(SourceSpec s) {
    return List.of(s.name(), s.url(), s.kind(), s.schedule(), s.interval().toMillis(), s.ratePerSecond(),
        s.maxConcurrency(), s.maxPages(), s.respectRobots(), s.options(), s.channels(), s.enabled());
  }
}
