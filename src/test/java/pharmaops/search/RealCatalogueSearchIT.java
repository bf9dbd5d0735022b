package pharmaops.search;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.search.imports.AnvisaImporter;
import pharmaops.search.imports.SharedData;
import pharmaops.support.TestApp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search quality on ANVISA's real list (31k products, two-thirds cancelled, many generics sharing one name):
 * what an attendant types, typos included, must put the product they mean on top. Skips without ../shared/data.
 */
class RealCatalogueSearchIT {
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() throws Exception {
    var csv = SharedData.require("anvisa/medicamentos.csv");
    app = TestApp.start();
    attendant = app.tokenWithRoles("attendant");
    var report = new AnvisaImporter(app.app().vertx(), app.app().platform().pool()).importFile(csv)
        .toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
    assertThat(report.written()).isGreaterThan(30_000);
  }

  @AfterAll
  static void stop() {
    if (app != null) app.close();
  }

  static JsonArray search(String q, String more) {
    var r = app.get("/api/v1/bulas?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more, attendant);
    assertThat(r.status()).as(q).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  static String name(JsonArray items, int i) {
    return items.getJsonObject(i).getString("name").toLowerCase();
  }

  @Test
  void aTypoInTheIngredientStillPutsTheProductNamedAfterItFirst() {
    assertThat(name(search("paracetmol", ""), 0)).isEqualTo("paracetamol");
    assertThat(name(search("dipiroma", ""), 0)).isEqualTo("dipirona");
    assertThat(name(search("amoxicilna", ""), 0)).isEqualTo("amoxicilina");
  }

  @Test
  void anExactBrandComesFirstAndCurrentBeforeCancelled() {
    JsonArray tylenol = search("tylenol", "");
    assertThat(name(tylenol, 0)).isEqualTo("tylenol");
    assertThat(tylenol.getJsonObject(0).getString("status")).isEqualTo("VÁLIDO");
    assertThat(name(search("tylenl", ""), 0)).as("a typo in the brand").isEqualTo("tylenol");
  }

  @Test
  void namesThatBeginWithTheQueryComeBeforeCombinationsContainingIt() {
    JsonArray losartana = search("losartana", "");
    assertThat(name(losartana, 0)).startsWith("losartana");
    assertThat(name(search("losartana 50 mg", ""), 0)).as("strength words do not exclude").startsWith("losartana");
  }

  @Test
  void anIngredientFindsTheBrandsThatContainIt() {
    List<String> names = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 4; page++) {
      var body = app.get("/api/v1/bulas?q=ibuprofeno&size=50" + cursor, attendant).json();
      body.getJsonArray("items").forEach(o -> names.add(((JsonObject) o).getString("name").toLowerCase()));
      if (body.getString("next") == null) break;
      cursor = "&cursor=" + body.getString("next");
    }
    assertThat(names).contains("advil", "alivium");
    assertThat(names.indexOf("ibuprofeno")).isLessThan(names.indexOf("advil"));
  }

  @Test
  void accentsAndCaseDoNotChangeTheAnswer() {
    assertThat(search("DIPIRONA SODICA", "")).isEqualTo(search("dipirona sódica", ""));
  }

  @Test
  void aPrefixBeingTypedFindsWhatItStarts() {
    JsonArray amoxi = search("amoxi", "");
    assertThat(amoxi).isNotEmpty();
    // AMOXIL and AMOXICILINA both begin with it: a prefix is not "corrected" into one of them
    assertThat(amoxi.stream().limit(10).map(o -> ((JsonObject) o).getString("name").toLowerCase()))
        .allMatch(n -> n.startsWith("amoxi")).contains("amoxil", "amoxicilina");
  }

  @Test
  void aRegistrationNumberFindsItsProductWithOrWithoutPunctuation() {
    assertThat(name(search("178170932", ""), 0)).isEqualTo("xarope benetosse");
    assertThat(name(search("1.7817.0932", ""), 0)).isEqualTo("xarope benetosse");
  }
}
