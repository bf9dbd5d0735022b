package pharmaops.search.imports;

import org.junit.jupiter.api.Test;
import pharmaops.search.imports.Leaflet.Section;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LeafletParserTest {
  static final String PATIENT = """
      dipirona monoidratada
      APRESENTAÇÕES: Solução oral gotas 500 mg/mL. Frasco com 20 mL.
      USO ORAL
      COMPOSIÇÃO
      Cada mL contém 500 mg de dipirona monoidratada.
      II - INFORMAÇÕES AO PACIENTE
      1. PARA QUE ESTE MEDICAMENTO É INDICADO?
      Analgésico e antitérmico.
      2.
      COMO ESTE MEDICAMENTO FUNCIONA?
      Age em cerca de 30 minutos.
      3. QUANDO NÃO DEVO USAR ESTE MEDICAMENTO?
      Alergia à dipirona.
      4. O QUE DEVO SABER ANTES DE USAR ESTE MEDICAMENTO?
      Cuidado com pressão baixa.
      Interações medicamentosas
      Ciclosporina: níveis reduzidos.
      5. ONDE, COMO E POR QUANTO TEMPO POSSO GUARDAR ESTE MEDICAMENTO?
      Temperatura ambiente.
      6. COMO DEVO USAR ESTE MEDICAMENTO?
      20 a 40 gotas.
      7. O QUE DEVO FAZER QUANDO EU ME ESQUECER DE USAR ESTE MEDICAMENTO?
      Tome assim que lembrar.
      8. QUAIS OS MALES QUE ESTE MEDICAMENTO PODE ME CAUSAR?
      Reações alérgicas raras.
      9. O QUE FAZER SE ALGUÉM USAR UMA QUANTIDADE MAIOR DO QUE A INDICADA DESTE
      MEDICAMENTO?
      Procure um hospital.
      III - DIZERES LEGAIS
      Reg. MS 1.0043.0946
      Histórico de Alteração da Bula
      6. Como devo
      usar este medicamento?
      8. QUAIS OS MALES QUE ESTE MEDICAMENTO PODE ME CAUSAR?
      Dizeres Legais
      """;

  @Test
  void patientLeafletIsSplitIntoItsNineSectionsAndInteractions() {
    Leaflet l = LeafletParser.parse("bula_dipirona.txt", PATIENT);
    assertThat(l.layout()).isEqualTo("patient");
    assertThat(l.name()).isEqualTo("dipirona monoidratada");
    assertThat(l.ingredients()).containsExactly("dipirona monoidratada");
    assertThat(l.registration()).isEqualTo("100430946");
    assertThat(l.section(Section.INDICATIONS)).isEqualTo("Analgésico e antitérmico.");
    assertThat(l.section(Section.HOW_IT_WORKS)).isEqualTo("Age em cerca de 30 minutos.");
    assertThat(l.section(Section.WARNINGS)).isEqualTo("Cuidado com pressão baixa.");
    assertThat(l.section(Section.INTERACTIONS)).isEqualTo("Ciclosporina: níveis reduzidos.");
    assertThat(l.section(Section.MISSED_DOSE)).isEqualTo("Tome assim que lembrar.");
    assertThat(l.section(Section.COMPOSITION)).isEqualTo("Cada mL contém 500 mg de dipirona monoidratada.");
    assertThat(l.presentation()).isEqualTo("Solução oral gotas 500 mg/mL. Frasco com 20 mL.");
  }

  @Test
  void changeHistoryTableThatRepeatsTitlesDoesNotLeakIntoSections() {
    Leaflet l = LeafletParser.parse("bula_dipirona.txt", PATIENT);
    // the wrapped title tail is not part of the text, and the history after DIZERES LEGAIS is not either
    assertThat(l.section(Section.OVERDOSE)).isEqualTo("Procure um hospital.");
    assertThat(l.section(Section.ADVERSE_REACTIONS)).isEqualTo("Reações alérgicas raras.");
    assertThat(l.section(Section.DOSAGE)).isEqualTo("20 a 40 gotas.");
  }

  @Test
  void professionalLayoutMapsItsTenTitles() {
    String text = """
        losartana potássica
        1. INDICAÇÕES
        Hipertensão.
        2. RESULTADOS DE EFICÁCIA
        Estudos.
        3. CARACTERÍSTICAS FARMACOLÓGICAS
        Antagonista da angiotensina II.
        4. CONTRAINDICAÇÕES
        Gravidez.
        6. INTERAÇÕES MEDICAMENTOSAS
        Lítio.
        8. POSOLOGIA E MODO DE USAR
        50 mg uma vez ao dia (veja o item
        4. CONTRAINDICAÇÕES).
        9. REAÇÕES ADVERSAS
        Tontura.
        10. SUPERDOSE
        Hipotensão.
        DIZERES LEGAIS
        """;
    Leaflet l = LeafletParser.parse("bula_losartana.txt", text);
    assertThat(l.layout()).isEqualTo("professional");
    assertThat(l.section(Section.INDICATIONS)).isEqualTo("Hipertensão.");
    assertThat(l.section(Section.HOW_IT_WORKS)).isEqualTo("Antagonista da angiotensina II.");
    assertThat(l.section(Section.INTERACTIONS)).isEqualTo("Lítio.");
    assertThat(l.section(Section.DOSAGE)).isEqualTo("50 mg uma vez ao dia (veja o item\n4. CONTRAINDICAÇÕES).");
    assertThat(l.section(Section.OVERDOSE)).isEqualTo("Hipotensão.");
  }

  @Test
  void everySharedLeafletYieldsSectionsAndNoneEndsInItsHistoryTable() throws IOException {
    Path dir = SharedData.require("bulas/txt");
    List<String> poor = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        files++;
        Leaflet l = LeafletParser.parse(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        if (l.section(Section.INDICATIONS) == null || l.sections().size() < 6) poor.add(p.getFileName() + " " + l.sections().keySet());
        for (String body : l.sections().values()) {
          assertThat(body).as(p.getFileName().toString()).doesNotContainIgnoringCase("Histórico de alteração");
        }
      }
    }
    assertThat(files).isEqualTo(78);
    assertThat(poor).as("leaflets with few sections").hasSizeLessThanOrEqualTo(3);
  }
}
