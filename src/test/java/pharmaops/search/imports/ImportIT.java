package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The importers against a real database, with ANVISA's list and the real leaflets from ../shared/data. */
class ImportIT {
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    attendant = app.tokenWithRoles("attendant");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  static AnvisaImporter anvisa() {
    return new AnvisaImporter(app.app().vertx(), app.app().platform().pool());
  }

  @Test
  void csvWithBadRowsImportsTheGoodOnesReportsTheBadOnesByLineAndReimportsAsANoOp() throws Exception {
    Path csv = Files.createTempFile("anvisa", ".csv");
    Files.writeString(csv, AnvisaCsvTest.HEADER
        + "MEDICAMENTO;PRIMEIRO;01/01/2020;NOVO;188880011;01/07/2029;1;X;12345678000199 - LAB A;VÁLIDO;DIPIRONA\r\n"
        + "MEDICAMENTO;RUIM;01/01/2020;NOVO;18888;01/07/2029;1;X;12345678000199 - LAB A;VÁLIDO;DIPIRONA\r\n"
        + "MEDICAMENTO;SEGUNDO;01/01/2020;GENÉRICO;188880029;01/07/2029;1;X;12345678000199 - LAB A;CADUCO/CANCELADO;IBUPROFENO\r\n"
        + "MEDICAMENTO;SEGUNDO BIS;01/01/2020;GENÉRICO;188880029;01/07/2029;1;X;12345678000199 - LAB A;VÁLIDO;IBUPROFENO\r\n");
    ImportReport first = await(anvisa().importFile(csv));
    assertThat(first.written()).isEqualTo(2);
    assertThat(first.rejected()).isEqualTo(1);
    assertThat(first.problems()).extracting(ImportProblem::toString)
        .anySatisfy(p -> assertThat(p).startsWith("line 3: rejected:").contains("9 digits"))
        .anySatisfy(p -> assertThat(p).startsWith("line 5: warning:").contains("also on line 4"));
    assertThat(first.generation()).isPositive();

    ImportReport again = await(anvisa().importFile(csv));
    assertThat(again.written()).isZero();
    assertThat(again.generation()).isZero(); // nothing changed, so cached searches stay valid

    var found = app.get("/api/v1/bulas?q=segundo&status=valido", attendant).json().getJsonArray("items");
    assertThat(found).hasSize(1);
    assertThat(found.getJsonObject(0).getString("name")).isEqualTo("SEGUNDO BIS");
    Files.delete(csv);
  }

  @Test
  void leafletsAttachToTheirRegisteredProductsAndTheRestBecomeProducts() throws Exception {
    Path dir = SharedData.require("bulas/txt");
    Path list = SharedData.require("anvisa/medicamentos.csv");
    // the ANVISA rows of the leaflets' registrations, so leaflets have products to attach to
    Set<String> regs;
    try (Stream<Path> files = Files.list(dir)) {
      regs = files.map(p -> {
        try {
          return LeafletParser.registration(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
          return null;
        }
      }).filter(r -> r != null).collect(Collectors.toSet());
    }
    List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    Path subset = Files.createTempFile("anvisa-subset", ".csv");
    Files.write(subset, Stream.concat(Stream.of(lines.get(0)), lines.stream().skip(1)
        .filter(l -> regs.contains(l.split(";", -1)[4].trim()))).toList(), StandardCharsets.UTF_8);
    ImportReport rows = await(anvisa().importFile(subset));
    assertThat(rows.written()).isGreaterThan(60);

    ImportReport leaflets = await(new LeafletImporter(app.app().vertx(), app.app().platform().pool()).importDir(dir));
    assertThat(leaflets.read()).isEqualTo(78);
    assertThat(leaflets.written()).isGreaterThanOrEqualTo(75);
    assertThat(leaflets.rejected()).isLessThanOrEqualTo(3);

    // a leaflet with a registration went onto the ANVISA product: its name and source stay, sections arrive
    var losartana = app.get("/api/v1/bulas?q=100890299", attendant).json().getJsonArray("items").getJsonObject(0);
    JsonObject leaflet = app.get("/api/v1/bulas/" + losartana.getLong("id"), attendant).json();
    assertThat(leaflet.getString("source")).isEqualTo("anvisa");
    assertThat(leaflet.getJsonObject("sections").getString("indications")).containsIgnoringCase("hipertens");
    assertThat(leaflet.getJsonObject("sections").getString("overdose")).doesNotContainIgnoringCase("Histórico de Alteração");
    // and the leaflet text is searchable: words found only in it lead to the leaflet
    var bySymptom = app.get("/api/v1/bulas?q=" + "hipertrofia+ventricular+esquerda", attendant).json().getJsonArray("items");
    assertThat(bySymptom.stream().map(o -> ((JsonObject) o).getLong("id")).toList()).contains(losartana.getLong("id"));
    Files.delete(subset);
  }

  @Test
  void aLeafletTheDatabaseRejectsIsReportedAndTheOthersStillLand() throws Exception {
    Path dir = Files.createTempDirectory("leaflets");
    Files.writeString(dir.resolve("bula_good.txt"), LeafletParserTest.PATIENT.replace("1.0043.0946", "1.0043.0947"));
    // PostgreSQL refuses a NUL character in text: the database, not the parser, rejects this file
    Files.writeString(dir.resolve("bula_nul.txt"), LeafletParserTest.PATIENT.replace("1.0043.0946", "1.0043.0948")
        .replace("Analgésico e antitérmico.", "Analgésico\u0000 e antitérmico."));
    ImportReport r = await(new LeafletImporter(app.app().vertx(), app.app().platform().pool()).importDir(dir));
    assertThat(r.read()).isEqualTo(2);
    assertThat(r.written()).isEqualTo(1);
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("bula_nul.txt");
      assertThat(p.rejected()).isTrue();
      assertThat(p.message()).contains("database rejected");
    });
    var found = app.get("/api/v1/bulas?q=100430947", attendant).json().getJsonArray("items");
    assertThat(found).hasSize(1);
    assertThat(app.get("/api/v1/bulas?q=100430948", attendant).json().getJsonArray("items")).isEmpty();
  }
}
