package pharmaops.search.imports;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnvisaCsvTest {
  static final String HEADER = "TIPO_PRODUTO;NOME_PRODUTO;DATA_FINALIZACAO_PROCESSO;CATEGORIA_REGULATORIA;NUMERO_REGISTRO_PRODUTO;"
      + "DATA_VENCIMENTO_REGISTRO;NUMERO_PROCESSO;CLASSE_TERAPEUTICA;EMPRESA_DETENTORA_REGISTRO;SITUACAO_REGISTRO;PRINCIPIO_ATIVO\r\n";

  static AnvisaCsv.Parsed parse(String text) throws IOException {
    return AnvisaCsv.parse(new BufferedReader(new StringReader(text)));
  }

  @Test
  void convertedRowsAreNormalised() throws IOException {
    var p = parse(HEADER + "MEDICAMENTO; ZYLOFEX  FORTE ;01/01/2020;NOVO;100000011;01/07/2029;1;ANALGESICOS;"
        + "12345678000199 - LABORATÓRIO TESTE LTDA;VÁLIDO;PARACETAMOL +  CAFEÍNA\r\n");
    assertThat(p.problems()).isEmpty();
    var r = p.rows().get(0);
    assertThat(r.line()).isEqualTo(2);
    assertThat(r.name()).isEqualTo("ZYLOFEX FORTE");
    assertThat(r.ingredients()).containsExactly("paracetamol", "cafeina");
    assertThat(r.cnpj()).isEqualTo("12345678000199");
    assertThat(r.manufacturer()).isEqualTo("LABORATÓRIO TESTE LTDA");
    assertThat(r.expires()).isEqualTo(LocalDate.of(2029, 7, 1));
    assertThat(r.status()).isEqualTo("VÁLIDO");
  }

  @Test
  void badRowsAreReportedWithTheirLineNumbersAndTheRestIsKept() throws IOException {
    var p = parse(HEADER
        + "MEDICAMENTO;BOM UM;01/01/2020;NOVO;100000011;01/07/2029;1;X;12345678000199 - A;VÁLIDO;DIPIRONA\r\n"
        + "MEDICAMENTO;SEM REGISTRO;01/01/2020;NOVO;1234;01/07/2029;1;X;12345678000199 - A;VÁLIDO;DIPIRONA\r\n"
        + "MEDICAMENTO;;01/01/2020;NOVO;100000029;01/07/2029;1;X;12345678000199 - A;VÁLIDO;DIPIRONA\r\n"
        + "MEDICAMENTO;CURTO;01/01/2020\r\n"
        + "MEDICAMENTO;DATA RUIM;01/01/2020;NOVO;100000037;31/02/2029;1;X;12345678000199 - A;VÁLIDO;\r\n"
        + "MEDICAMENTO;BOM DOIS;01/01/2020;NOVO;100000045;01/07/2029;1;X;12345678000199 - A;VÁLIDO;IBUPROFENO\r\n");
    assertThat(p.rows()).extracting(AnvisaCsv.Row::name).containsExactly("BOM UM", "DATA RUIM", "BOM DOIS");
    assertThat(p.problems()).extracting(ImportProblem::line).containsExactly(3, 4, 5, 6);
    assertThat(p.problems().get(0).message()).contains("must be 9 digits, got '1234'");
    assertThat(p.problems().get(1).message()).contains("NOME_PRODUTO is empty");
    assertThat(p.problems().get(2).message()).contains("expected 11 fields");
    assertThat(p.problems().get(3).rejected()).isFalse();
    assertThat(p.problems().get(3).message()).contains("'31/02/2029' is not dd/mm/yyyy");
    assertThat(p.rows().get(1).expires()).isNull();
    assertThat(p.rows().get(2).line()).isEqualTo(7);
  }

  @Test
  void rawAgencyFormatWithQuotesEscapesAndLineBreaksIsRead() throws IOException {
    var p = parse(HEADER.replace("\r\n", "\n")
        + "\"MEDICAMENTO\";\"NOME \"\"ASPAS\"\"; COM PONTO E VÍRGULA\";\"01/01/2020\";;100000011;\"01/07/2029\";\"1\";\"X\";\"12345678000199 - A\";\"VÁLIDO\";\n"
        + "\"MEDICAMENTO\";\"QUEBRA\nDE LINHA\";\"01/01/2020\";\"NOVO\";100000029;\"01/07/2029\";\"1\";\"X\";\"12345678000199 - A\";\"VÁLIDO\";\"DIPIRONA\"\n"
        + "\"MEDICAMENTO\";\"DEPOIS\";\"01/01/2020\";\"NOVO\";100000037;\"01/07/2029\";\"1\";\"X\";\"12345678000199 - A\";\"VÁLIDO\";\"DIPIRONA\"\n");
    assertThat(p.problems()).isEmpty();
    assertThat(p.rows()).extracting(AnvisaCsv.Row::name).containsExactly("NOME \"ASPAS\"; COM PONTO E VÍRGULA", "QUEBRA DE LINHA", "DEPOIS");
    assertThat(p.rows().get(0).category()).isNull();
    assertThat(p.rows().get(0).ingredients()).isEmpty();
    assertThat(p.rows()).extracting(AnvisaCsv.Row::line).containsExactly(2, 3, 5);
  }

  @Test
  void aFileThatIsNotTheMedicinesListIsRefusedWithTheMissingColumns() {
    assertThatThrownBy(() -> parse("a;b;c\n1;2;3\n")).hasMessageContaining("NUMERO_REGISTRO_PRODUTO");
  }

  @Test
  void sharedRawExcerptParses() throws IOException {
    var file = SharedData.require("anvisa/medicamentos_raw_excerpt.csv");
    var p = AnvisaCsv.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    assertThat(p.rows().size() + p.problems().stream().filter(ImportProblem::rejected).count()).isEqualTo(15);
    assertThat(p.rows()).extracting(AnvisaCsv.Row::name).contains("A SAÚDE DA MULHER", "6 - COPENA");
  }

  @Test
  void sharedListParsesEveryRowOrReportsIt() throws IOException {
    var file = SharedData.require("anvisa/medicamentos.csv");
    var p = AnvisaCsv.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    long rejected = p.problems().stream().filter(ImportProblem::rejected).count();
    assertThat(p.rows().size() + rejected).isEqualTo(30_981);
    assertThat(rejected).isEqualTo(24); // 8-digit registrations: a real defect of the file
    assertThat(p.problems()).allSatisfy(x -> assertThat(x.line()).isBetween(2, 30_982));
  }
}
