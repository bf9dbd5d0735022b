package pharmaops.search;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writers only queue rows (V15) and the indexer builds their search documents: a row written by any writer, even
 * plain SQL that announces nothing, becomes searchable within the index interval, and cached answers follow.
 */
class SearchIndexIT {
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true))
        .put("search", new JsonObject().put("indexIntervalMs", 200)));
    attendant = app.tokenWithRoles("attendant");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static Row one(String sql, Object... args) {
    try {
      return app.app().platform().pool().preparedQuery(sql).execute(Tuple.from(args)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS).iterator().next();
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static boolean pending(long id) {
    return one("SELECT EXISTS (SELECT 1 FROM search_pending WHERE id = $1)", id).getBoolean(0);
  }

  static int found(String q) {
    return app.get("/api/v1/bulas?q=" + q, attendant).json().getJsonArray("items").size();
  }

  @Test
  void aRowInsertedByPlainSqlBecomesSearchableAndCachedAnswersFollow() {
    assertThat(found("zumbilex")).isZero(); // cached now: the indexer's generation move must drop this answer
    long id = one("INSERT INTO bula (name, active_ingredients, source) VALUES ('Zumbilex 10 mg', ARRAY['zumbilina'], 'manual') RETURNING id")
        .getLong(0);
    assertThat(pending(id)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> found("zumbilex") == 1);
    assertThat(found("zumbilina")).as("by its ingredient too").isEqualTo(1);
    assertThat(pending(id)).isFalse();
    assertThat(one("SELECT count(*) FROM search_lexicon WHERE word IN ('zumbilex', 'zumbilina')").getLong(0))
        .as("its words joined the typo lexicon").isEqualTo(2);
  }

  static <T> T done(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** An importer's promise (searchable when it returns) holds while another pass has taken its rows and not committed. */
  @Test
  void drainWaitsForARowAnotherIndexingPassHoldsUntilThatPassCommits() throws Exception {
    var pool = app.app().platform().pool();
    SqlConnection other = done(pool.getConnection());
    try {
      long id = 0;
      for (int attempt = 0; attempt < 10 && id == 0; attempt++) {
        long row = one("INSERT INTO bula (name, source) VALUES ('Heldomax " + attempt + "', 'manual') RETURNING id").getLong(0);
        done(other.query("BEGIN").execute());
        done(other.query("SELECT search_index(2000)").execute());
        // the periodic pass may have been quicker: then this transaction holds nothing of ours, so try again
        boolean tookIt = done(other.preparedQuery("SELECT EXISTS (SELECT 1 FROM bula_search WHERE id = $1)").execute(Tuple.of(row)))
            .iterator().next().getBoolean(0) && !indexed(row);
        if (tookIt) id = row;
        else done(other.query("ROLLBACK").execute());
      }
      assertThat(id).as("the other pass took a fresh row").isPositive();

      var drained = SearchIndex.drain(app.app().vertx(), pool);
      Thread.sleep(300);
      assertThat(drained.isComplete()).as("drain returned while the other pass still held the row").isFalse();
      done(other.query("COMMIT").execute());
      done(drained);
      assertThat(indexed(id)).isTrue();
    } finally {
      other.close();
    }
  }

  static boolean indexed(long id) {
    return one("SELECT EXISTS (SELECT 1 FROM bula_search WHERE id = $1)", id).getBoolean(0);
  }

  @Test
  void anUpdateQueuesTheRowAgainAndItsNewTextBecomesSearchable() {
    long id = one("INSERT INTO bula (name, source) VALUES ('Quietol', 'manual') RETURNING id").getLong(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> !pending(id));
    assertThat(found("zeptoquina")).isZero();
    one("UPDATE bula SET indications = 'contém zeptoquina' WHERE id = $1 RETURNING id", id);
    assertThat(pending(id)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> found("zeptoquina") == 1);
  }
}
