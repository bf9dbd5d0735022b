package pharmaops.search;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
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
