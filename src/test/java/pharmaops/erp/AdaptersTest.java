package pharmaops.erp;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each adapter reads its ERP's own format, units and paging into the same catalogue record. */
class AdaptersTest {
  static ErpConfig.Source source(String kind) {
    return new ErpConfig.Source("s", kind, "http://erp", Optional.empty(), Optional.empty(), Optional.empty(), 2, 1000,
        "0 * * * *", 0, 1, 100, ErpConfig.DEFAULT_MAX_PAGE_BYTES);
  }

  @Test
  void jsonReadsOffsetPagesEpochMillisAndJoinedSubstances() {
    var page = new JsonRestAdapter(source("json")).parse(Buffer.buffer("""
        {"total": 3, "items": [{"id": 9, "productName": "NEOSALDINA", "anvisaCode": "100470305", "gtins": ["7891106000956"],
          "labName": "TAKEDA", "labTaxId": "60874187000184", "substances": "DIPIRONA + CAFEÍNA", "packaging": "CX 20",
          "priceCents": 1290, "modifiedAtMs": 1767225600000}, 17]}"""), MultiMap.caseInsensitiveMultiMap());
    assertThat(page.totalPages()).isEqualTo(2);
    assertThat(page.records()).hasSize(1);
    ErpRecord r = page.records().get(0);
    assertThat(r.externalId()).isEqualTo("9");
    assertThat(r.activeIngredients()).containsExactly("DIPIRONA ", " CAFEÍNA");
    assertThat(r.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(page.garbage()).singleElement().extracting(Rejected::reason).isEqualTo("garbage: item is not an object");
  }

  @Test
  void jsonWithoutTotalIsAMalformedPage() {
    assertThatThrownBy(() -> new JsonRestAdapter(source("json")).parse(Buffer.buffer("{\"items\": []}"), MultiMap.caseInsensitiveMultiMap()))
        .hasMessageContaining("total");
  }

  @Test
  void xmlReadsRepeatedElementsAttributesAndOffsetTimes() throws Exception {
    var page = new XmlFeedAdapter(source("xml")).parse(Buffer.buffer("""
        <?xml version="1.0" encoding="UTF-8"?>
        <produtos pagina="1" totalPaginas="4"><prod><cProd>A1</cProd><xProd>DORFLEX</xProd><cEAN>7891106000956</cEAN>
        <cEAN>96385074</cEAN><registroMS>100470305</registroMS><fabricante cnpj="60874187000184">SANOFI</fabricante>
        <principioAtivo>DIPIRONA</principioAtivo><principioAtivo>ORFENADRINA</principioAtivo>
        <dhAlteracao>2026-01-01T00:00:00-03:00</dhAlteracao></prod>
        <prod><cProd>A2</cProd><xProd>Y</xProd><dhAlteracao>ontem</dhAlteracao></prod></produtos>"""),
        MultiMap.caseInsensitiveMultiMap());
    assertThat(page.totalPages()).isEqualTo(4);
    ErpRecord r = page.records().get(0);
    assertThat(r.eans()).containsExactly("7891106000956", "96385074");
    assertThat(r.cnpj()).isEqualTo("60874187000184");
    assertThat(r.manufacturer()).isEqualTo("SANOFI");
    assertThat(r.activeIngredients()).containsExactly("DIPIRONA", "ORFENADRINA");
    assertThat(r.updatedAt()).isEqualTo(Instant.parse("2026-01-01T03:00:00Z"));
    assertThat(page.garbage()).singleElement().extracting(Rejected::recordKey).isEqualTo("A2");
  }

  @Test
  void anXmlProductWithNestedElementsIsQuarantinedAloneAndTheRestOfThePageIsRead() throws Exception {
    var page = new XmlFeedAdapter(source("xml")).parse(Buffer.buffer("""
        <produtos pagina="1" totalPaginas="1">
        <prod><cProd>B1</cProd><xProd>DORFLEX</xProd><registroMS>100470305</registroMS></prod>
        <prod><cProd>B2</cProd><xProd>NEOSALDINA<b>forte</b> 30</xProd><cEAN>7891106000956</cEAN></prod>
        <prod><cProd>B3</cProd><xProd>BUSCOPAN</xProd><registroMS>100470306</registroMS></prod></produtos>"""),
        MultiMap.caseInsensitiveMultiMap());
    assertThat(page.records()).extracting(ErpRecord::externalId).containsExactly("B1", "B3");
    assertThat(page.garbage()).singleElement().satisfies(g -> {
      assertThat(g.recordKey()).isEqualTo("B2");
      assertThat(g.reason()).isEqualTo("garbage: <xProd> holds elements, not text");
      assertThat(g.raw()).contains("<xProd>NEOSALDINA<b>forte</b> 30</xProd>").contains("<cEAN>7891106000956</cEAN>");
    });
  }

  @Test
  void xmlRefusesExternalEntitiesAndTruncatedDocuments() {
    var adapter = new XmlFeedAdapter(source("xml"));
    assertThatThrownBy(() -> adapter.parse(Buffer.buffer("<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<produtos totalPaginas=\"1\"><prod><xProd>&x;</xProd></prod></produtos>"), MultiMap.caseInsensitiveMultiMap()))
        .isInstanceOf(Exception.class);
    assertThatThrownBy(() -> adapter.parse(Buffer.buffer("<produtos totalPaginas=\"1\"><prod><xPr"), MultiMap.caseInsensitiveMultiMap()))
        .isInstanceOf(Exception.class);
  }

  @Test
  void csvDecodesLatin1QuotedFieldsAndSaoPauloTimes() {
    String body = CsvExportAdapter.HEADER + "\r\n"
        + "11;\"ÁCIDO; ACETILSALICÍLICO\";100470305;7891106000956,96385074;BAYER;18459628000115;ÁCIDO ACETILSALICÍLICO;"
        + "SIMILAR;ANALGÉSICOS;VÁLIDO;CX 10;01/01/2026 00:00:00\r\n"
        + "12;só três;campos\r\n";
    var headers = MultiMap.caseInsensitiveMultiMap().add("X-Total-Pages", "7");
    var page = new CsvExportAdapter(source("csv")).parse(Buffer.buffer(body.getBytes(StandardCharsets.ISO_8859_1)), headers);
    assertThat(page.totalPages()).isEqualTo(7);
    ErpRecord r = page.records().get(0);
    assertThat(r.name()).isEqualTo("ÁCIDO; ACETILSALICÍLICO");
    assertThat(r.eans()).containsExactly("7891106000956", "96385074");
    assertThat(r.updatedAt()).isEqualTo(Instant.parse("2026-01-01T03:00:00Z"));
    assertThat(page.garbage()).singleElement().extracting(Rejected::reason).isEqualTo("garbage: 3 fields, expected 12");
  }
}
