package pharmaops.search;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.search.imports.AnvisaCsv;
import pharmaops.search.imports.AnvisaImporter;
import pharmaops.support.TestApp;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cache-aside keyed by catalogue generation: hits are served, and any catalogue change makes them unreachable. */
class SearchCacheIT {
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true))
        .put("search", new JsonObject().put("generationCheckSeconds", 1)));
    attendant = app.tokenWithRoles("attendant");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static JsonObject search(String q) {
    var r = app.get("/api/v1/bulas?q=" + q, attendant);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  static double cacheCount(String result) {
    var c = app.app().platform().metrics().find("pharmaops.cache.requests").tag("cache", "bulas").tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aRepeatedSearchIsServedFromTheCache() {
    JsonObject first = search("novalgina");
    double hits = cacheCount("hit_local") + cacheCount("hit");
    long db = app.app().platform().metrics().get("pharmaops.search.db").timer().count();
    assertThat(search("NOVALGINA")).isEqualTo(first); // case and accents fold into the same key
    assertThat(cacheCount("hit_local") + cacheCount("hit")).isEqualTo(hits + 1);
    assertThat(app.app().platform().metrics().get("pharmaops.search.db").timer().count()).isEqualTo(db);
  }

  @Test
  void concurrentIdenticalMissesShareOneDatabaseQuery() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    long db = app.app().platform().metrics().get("pharmaops.search.db").timer().count();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/api/v1/bulas?q=omeprazol+magnesico")))
        .header("Authorization", "Bearer " + attendant).build();
    var responses = java.util.stream.IntStream.range(0, 12)
        .mapToObj(i -> client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString())).toList();
    for (var r : responses) assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(responses.stream().map(r -> r.join().body()).distinct()).hasSize(1);
    // one for the first miss; a request arriving after it finished is a cache hit, never a second query
    assertThat(app.app().platform().metrics().get("pharmaops.search.db").timer().count()).isEqualTo(db + 1);
  }

  @Test
  void anImportInvalidatesCachedSearchesAtOnce() throws Exception {
    assertThat(search("zylofex").getJsonArray("items")).isEmpty(); // now cached as "nothing"
    String csv = "TIPO_PRODUTO;NOME_PRODUTO;DATA_FINALIZACAO_PROCESSO;CATEGORIA_REGULATORIA;NUMERO_REGISTRO_PRODUTO;"
        + "DATA_VENCIMENTO_REGISTRO;NUMERO_PROCESSO;CLASSE_TERAPEUTICA;EMPRESA_DETENTORA_REGISTRO;SITUACAO_REGISTRO;PRINCIPIO_ATIVO\r\n"
        + "MEDICAMENTO;ZYLOFEX;01/01/2020;NOVO;199990011;01/07/2029;1;ANALGESICOS;12345678000199 - LAB TESTE;VÁLIDO;PARACETAMOL\r\n";
    var report = new AnvisaImporter(app.app().vertx(), app.app().platform().pool())
        .importParsed("test.csv", AnvisaCsv.parse(new BufferedReader(new StringReader(csv))))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(report.written()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(search("zylofex").getJsonArray("items")).extracting(o -> ((JsonObject) o).getString("name")).containsExactly("ZYLOFEX"));
    // the registration lookup works for what the importer wrote
    assertThat(search("199990011").getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("ZYLOFEX");
  }

  @Test
  void aWriterThatForgetsToPublishIsCaughtByThePeriodicGenerationCheck() throws Exception {
    assertThat(search("quixotril").getJsonArray("items")).isEmpty();
    var pool = app.app().platform().pool();
    pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bula (name, source) VALUES ($1, 'test')").execute(Tuple.of("Quixotril"))
            .compose(x -> CatalogueEvents.bump(tx)))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(search("quixotril").getJsonArray("items")).hasSize(1));
  }

  @Test
  void aLeafletIsCachedUntilTheCatalogueChanges() throws Exception {
    long id = search("rivotril").getJsonArray("items").getJsonObject(0).getLong("id");
    assertThat(app.get("/api/v1/bulas/" + id, attendant).json().getString("presentation")).startsWith("Comprimido 2 mg");
    var pool = app.app().platform().pool();
    long gen = pool.withTransaction(tx -> tx.preparedQuery("UPDATE bula SET presentation = 'Gotas 2,5 mg/mL' WHERE id = $1")
            .execute(Tuple.of(id)).compose(x -> CatalogueEvents.bump(tx)))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CatalogueEvents.publish(app.app().vertx(), gen, "test");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(app.get("/api/v1/bulas/" + id, attendant).json().getString("presentation")).isEqualTo("Gotas 2,5 mg/mL"));
  }
}
