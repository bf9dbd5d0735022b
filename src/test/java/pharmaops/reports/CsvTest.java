package pharmaops.reports;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {
  private static String line(String... cells) {
    ByteBuf out = Unpooled.buffer();
    Csv.line(out, Arrays.asList(cells));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainCellsAreWrittenAsTheyAreWithCrlf() {
    assertThat(line("a", "Dipirona Sódica", "")).isEqualTo("a,Dipirona Sódica,\r\n");
    assertThat(line("x", null)).isEqualTo("x,\r\n");
  }

  @Test
  void separatorsQuotesAndLineBreaksAreQuotedPerRfc4180() {
    assertThat(line("a,b")).isEqualTo("\"a,b\"\r\n");
    assertThat(line("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"\r\n");
    assertThat(line("two\nlines")).isEqualTo("\"two\nlines\"\r\n");
  }

  @Test
  void cellsThatASpreadsheetWouldEvaluateArePrefixed() {
    assertThat(line("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"\r\n");
    assertThat(line("+1", "-2", "@SUM(A1)", "\tx")).isEqualTo("'+1,'-2,'@SUM(A1),'\tx\r\n");
    assertThat(line("\rcmd")).isEqualTo("\"'\rcmd\"\r\n");
    assertThat(line("a=b")).as("only a leading sign is dangerous").isEqualTo("a=b\r\n");
  }

  @Test
  void nonAsciiTextIsUtf8EvenInsideQuotedRuns() {
    assertThat(line("Ação \"forte\", 500 mg", "São Paulo")).isEqualTo("\"Ação \"\"forte\"\", 500 mg\",São Paulo\r\n");
  }
}
