package pharmaops.search;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Search quality and the API contract, over the demo catalogue a fresh installation receives. */
class SearchIT {
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true)));
    attendant = app.tokenWithRoles("attendant");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static TestApp.Resp search(String query) {
    return app.get("/api/v1/bulas?" + query, attendant);
  }

  static JsonArray items(String q) {
    var r = search("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  static List<String> names(String q) {
    return items(q).stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  void firstSearchOfAFreshInstallationFindsTheDemoCatalogue() {
    assertThat(names("paracetamol")).contains("Tylenol 750 mg", "Paracetamol 500 mg");
  }

  @Test
  void exactNameMatchComesFirst() {
    assertThat(names("Paracetamol 500 mg").get(0)).isEqualTo("Paracetamol 500 mg");
    assertThat(names("dorflex").get(0)).isEqualTo("Dorflex");
  }

  @Test
  void aStrengthDoesNotExcludeProductsWhoseNameLacksIt() {
    assertThat(names("novalgina 500 mg")).contains("Novalgina 1 g");
    assertThat(names("paracetamol 750 mg")).contains("Tylenol 750 mg", "Paracetamol 500 mg");
  }

  @Test
  void typosAreCorrectedAgainstTheLexicon() {
    assertThat(names("paracetmol")).contains("Tylenol 750 mg", "Paracetamol 500 mg");
    assertThat(names("dipiroma")).contains("Novalgina 1 g", "Dipirona Sódica 500 mg/mL gotas");
    assertThat(names("amoxicilna")).contains("Amoxil 500 mg");
  }

  @Test
  void accentsAndCaseDoNotMatter() {
    assertThat(names("ÁCIDO ACETILSALICÍLICO")).contains("Aspirina 500 mg", "AAS Infantil 100 mg");
    assertThat(names("acido acetilsalicilico")).contains("Aspirina 500 mg", "AAS Infantil 100 mg");
    assertThat(names("losartana potassica")).contains("Cozaar 50 mg", "Aradois 50 mg");
  }

  @Test
  void anIngredientFindsTheBrandsThatContainIt() {
    assertThat(names("ibuprofeno")).contains("Advil 400 mg", "Alivium 600 mg", "Ibuprofeno 50 mg/mL gotas");
    assertThat(names("dipirona")).contains("Buscopan Composto", "Dorflex");
    var first = items("ibuprofeno").getJsonObject(0);
    assertThat(first.getJsonArray("activeIngredients").getList()).contains("ibuprofeno");
  }

  @Test
  void aPrefixFindsProductsWhileTyping() {
    assertThat(names("losar")).contains("Cozaar 50 mg", "Losartana Potássica 50 mg");
    assertThat(names("rivot")).containsExactly("Rivotril 2 mg");
  }

  @Test
  void portugueseStemmingMatchesOtherFormsOfAWord() {
    // the leaflet says "rinite alérgica"; an attendant types the plural
    assertThat(names("rinites alergicas")).contains("Allegra 180 mg", "Claritin 10 mg");
  }

  @Test
  void anEanFindsItsProduct() {
    JsonObject tylenol = items("Tylenol").getJsonObject(0);
    String ean = tylenol.getJsonArray("eans").getString(0);
    JsonArray byEan = items(ean);
    assertThat(byEan).hasSize(1);
    assertThat(byEan.getJsonObject(0).getString("name")).isEqualTo("Tylenol 750 mg");
    assertThat(byEan.getJsonObject(0).getString("highlight")).contains("<mark>" + ean + "</mark>");
  }

  @Test
  void highlightMarksTheMatchedWordsAndEscapesHtml() {
    JsonObject first = items("amoxicilina").getJsonObject(0);
    assertThat(first.getString("highlight")).containsIgnoringCase("<mark>amoxicilina</mark>");
    assertThat(first.fieldNames()).contains("id", "name", "activeIngredients", "manufacturer", "registration", "category",
        "status", "eans", "highlight");
    // "Johnson & Johnson" must come back escaped, never as raw markup
    String tylenol = items("tylenol").getJsonObject(0).getString("highlight");
    assertThat(tylenol).contains("&amp;").doesNotContain("& ");
  }

  @Test
  void filtersNarrowByManufacturerCategoryAndStatus() {
    var r = search("q=losartana&manufacturer=medley");
    assertThat(r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("name")).toList())
        .containsExactly("Losartana Potássica 50 mg");
    var generic = search("q=losartana&category=generico");
    assertThat(generic.json().getJsonArray("items")).hasSize(1);
    assertThat(search("q=losartana&status=cancelado").json().getJsonArray("items")).isEmpty();
  }

  @Test
  void pagesFollowTheCursorWithoutRepeatsInAStableOrder() {
    var first = search("q=comprimido&size=5");
    assertThat(first.status()).isEqualTo(200);
    String next = first.json().getString("next");
    assertThat(next).isNotNull();
    var second = search("q=comprimido&size=5&cursor=" + next);
    List<Object> a = first.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getValue("id")).toList();
    List<Object> b = second.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getValue("id")).toList();
    assertThat(b).hasSize(5).doesNotContainAnyElementsOf(a);
    assertThat(search("q=comprimido&size=5&page=2").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getValue("id")).toList()).isEqualTo(b);
    assertThat(search("q=comprimido&size=5").json()).isEqualTo(first.json());
  }

  @Test
  void theWholeLeafletComesWithItsSections() {
    long id = items("Novalgina").getJsonObject(0).getLong("id");
    var r = app.get("/api/v1/bulas/" + id, attendant);
    assertThat(r.status()).isEqualTo(200);
    JsonObject leaflet = r.json();
    assertThat(leaflet.getString("name")).isEqualTo("Novalgina 1 g");
    assertThat(leaflet.getString("source")).isEqualTo("demo");
    assertThat(leaflet.getJsonObject("sections").fieldNames()).containsExactlyInAnyOrder("indications", "contraindications",
        "howItWorks", "warnings", "interactions", "storage", "dosage", "missedDose", "adverseReactions", "overdose", "composition");
    assertThat(leaflet.getJsonObject("sections").getString("indications")).contains("dor");
    assertThat(app.get("/api/v1/bulas/999999999", attendant).status()).isEqualTo(404);
    assertThat(app.get("/api/v1/bulas/abc", attendant).status()).isEqualTo(404);
  }

  @Test
  void sisterServicesGetTheSameSearchOnTheEventBus() throws Exception {
    var bus = app.app().vertx().eventBus();
    var opts = new DeliveryOptions().setSendTimeout(5000);
    JsonObject reply = bus.<JsonObject>request(SearchAddresses.BULAS, new JsonObject().put("q", "ibuprofeno").put("size", 2), opts)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(reply.getJsonArray("items")).hasSize(2);
    assertThat(reply.getString("next")).isNotNull();
    long id = reply.getJsonArray("items").getJsonObject(0).getLong("id");
    JsonObject leaflet = bus.<JsonObject>request(SearchAddresses.BULA, new JsonObject().put("id", id), opts)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(leaflet.getLong("id")).isEqualTo(id);
    var bad = bus.request(SearchAddresses.BULAS, new JsonObject().put("q", "!!!"), opts).toCompletionStage().toCompletableFuture();
    assertThat(bad).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }
}
