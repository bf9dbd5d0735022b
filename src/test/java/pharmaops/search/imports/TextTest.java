package pharmaops.search.imports;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TextTest {
  @Test
  void theAsciiFastPathFoldsExactlyAsTheGeneralOne() {
    String alphabet = "aZ09 \t\n\u000b\f\r\u0001\u001c.,-+/()%&:;'\"xyzDIPIRONA";
    Random rnd = new Random(20261201);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = rnd.nextInt(12); n > 0; n--) b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      String s = b.toString();
      assertThat(Text.foldAscii(s)).as("fold of [%s]", s.replace("\t", "\\t").replace("\n", "\\n")).isEqualTo(Text.foldAny(s));
    }
  }

  @Test
  void accentsAndCaseFoldAway() {
    assertThat(Text.fold("  Dipirona   SÓDICA ")).isEqualTo("dipirona sodica");
    assertThat(Text.fold("Cafeína\u00a0anidra")).isEqualTo("cafeina anidra");
    assertThat(Text.fold(" \t ")).isNull();
  }
}
