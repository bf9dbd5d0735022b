package pharmaops.scraping;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PtDatesTest {
  // 25/11/2026 15:00 in São Paulo (UTC-3)
  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T18:00:00Z"), ZoneOffset.UTC);

  static Instant p(String s) {
    return PtDates.parse(s, NOW);
  }

  @Test
  void numericDatesInBrazilianOrderWithFourOrTwoDigitYears() {
    assertThat(p("25/11/2026")).isEqualTo("2026-11-25T03:00:00Z");
    assertThat(p("25/11/26")).isEqualTo("2026-11-25T03:00:00Z");
    assertThat(p("5-1-2026 14:30")).isEqualTo("2026-01-05T17:30:00Z");
    assertThat(p("Publicado em 03/12/2026 às 9h")).isEqualTo("2026-12-03T12:00:00Z");
  }

  @Test
  void textualPortugueseDatesWithOrWithoutYearAndAccents() {
    assertThat(p("25 de novembro de 2026")).isEqualTo("2026-11-25T03:00:00Z");
    assertThat(p("1º de março de 2026")).isEqualTo("2026-03-01T03:00:00Z");
    assertThat(p("Quarta-feira, 2 de dezembro às 20h30")).isEqualTo("2026-12-02T23:30:00Z");
    assertThat(p("25\u00a0nov.\u00a02026")).isEqualTo("2026-11-25T03:00:00Z");
  }

  @Test
  void relativeDaysAndAgo() {
    assertThat(p("hoje às 14h")).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(p("Ontem")).isEqualTo("2026-11-24T03:00:00Z");
    assertThat(p("anteontem às 10:15")).isEqualTo("2026-11-23T13:15:00Z");
    assertThat(p("há 2 horas")).isEqualTo("2026-11-25T16:00:00Z");
  }

  @Test
  void isoWithAndWithoutZone() {
    assertThat(p("2026-11-25T10:00:00Z")).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(p("2026-11-25T10:00:00-03:00")).isEqualTo("2026-11-25T13:00:00Z");
    assertThat(p("2026-11-25")).isEqualTo("2026-11-25T03:00:00Z");
  }

  @Test
  void impossibleOrMissingDatesAreClearErrorsQuotingTheInput() {
    assertThatThrownBy(() -> p("31/02/2026")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible date '31/02/2026'");
    assertThatThrownBy(() -> p("32 de novembro de 2026")).hasMessageContaining("impossible date");
    assertThatThrownBy(() -> p("em breve")).hasMessageContaining("no recognisable date in 'em breve'");
    assertThatThrownBy(() -> p("2 outros itens")).hasMessageContaining("no recognisable date");
    assertThatThrownBy(() -> p("  ")).hasMessageContaining("empty");
  }
}
