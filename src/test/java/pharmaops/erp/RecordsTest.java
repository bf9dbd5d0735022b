package pharmaops.erp;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsTest {
  static ErpRecord record(String name, String registration, List<String> eans) {
    return new ErpRecord("7", name, registration, eans, " EMS  S/A ", "60.874.187/0001-84", List.of(" Dipirona Sódica ", "CAFEÍNA"),
        "genérico", null, "válido", "CX 20", Instant.EPOCH, "{raw}");
  }

  @Test
  void eanCheckDigitsFollowGs1ForEan13AndEan8() {
    assertThat(Records.validEan("7891106000956")).isTrue();
    assertThat(Records.validEan("7891106000957")).isFalse();
    assertThat(Records.validEan("96385074")).isTrue();
    assertThat(Records.validEan("96385075")).isFalse();
    assertThat(Records.validEan("789110600095")).isFalse();
    assertThat(Records.validEan("78911060009X6")).isFalse();
  }

  @Test
  void aValidRecordIsNormalisedForTheCatalogue() {
    var checked = Records.check(record("  DIPIRONA   500 MG ", "1.0047.0305", List.of("7891106000956", "96385074", "7891106000956")));
    assertThat(checked).isInstanceOf(Records.Accepted.class);
    Product p = ((Records.Accepted) checked).product();
    assertThat(p.name()).isEqualTo("DIPIRONA 500 MG");
    assertThat(p.registration()).isEqualTo("100470305");
    assertThat(p.eans()).containsExactly("7891106000956", "96385074");
    assertThat(p.manufacturer()).isEqualTo("EMS S/A");
    assertThat(p.cnpj()).isEqualTo("60874187000184");
    assertThat(p.activeIngredients()).containsExactly("dipirona sodica", "cafeina");
    assertThat(p.category()).isEqualTo("GENÉRICO");
    assertThat(p.ownKey()).isEqualTo("100470305");
  }

  @Test
  void aProductKnownOnlyByEanIsKeyedByItsSmallestEan() {
    Product p = ((Records.Accepted) Records.check(record("X", null, List.of("96385074", "7891106000956")))).product();
    assertThat(p.ownKey()).isEqualTo("ean:7891106000956");
  }

  @Test
  void invalidRecordsAreRefusedWithAReasonAndKeepTheirRawText() {
    assertThat(reason(record(" ", "100470305", List.of()))).isEqualTo("missing name");
    assertThat(reason(record("X", "100470305", List.of("7891106000957")))).startsWith("bad EAN '7891106000957'");
    assertThat(reason(record("X", "12AB", List.of()))).startsWith("bad registration number");
    assertThat(reason(record("X", null, List.of()))).isEqualTo("neither registration number nor EAN");
    var refused = (Records.Refused) Records.check(record(null, null, null));
    assertThat(refused.rejected().raw()).isEqualTo("{raw}");
    assertThat(refused.rejected().recordKey()).isEqualTo("7");
  }

  private static String reason(ErpRecord r) {
    return ((Records.Refused) Records.check(r)).rejected().reason();
  }
}
