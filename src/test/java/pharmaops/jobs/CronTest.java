package pharmaops.jobs;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {
  private static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void fiveFieldsFireOnWholeMinutes() {
    Cron c = Cron.parse("*/15 * * * *");
    assertThat(c.next(t("2026-11-25T12:07:30Z"))).isEqualTo(t("2026-11-25T12:15:00Z"));
    assertThat(c.next(t("2026-11-25T12:15:00Z"))).as("strictly after").isEqualTo(t("2026-11-25T12:30:00Z"));
    assertThat(c.next(t("2026-11-25T23:50:00Z"))).isEqualTo(t("2026-11-26T00:00:00Z"));
  }

  @Test
  void sixFieldsHaveSecondsFirst() {
    Cron c = Cron.parse("10,40 * * * * *");
    assertThat(c.next(t("2026-11-25T12:00:11Z"))).isEqualTo(t("2026-11-25T12:00:40Z"));
    assertThat(c.next(t("2026-11-25T12:00:40Z"))).isEqualTo(t("2026-11-25T12:01:10Z"));
  }

  @Test
  void rangesListsAndDaysOfWeek() {
    // 2026-11-25 is a Wednesday; next Monday-or-Friday at 03:30 is Friday the 27th.
    Cron c = Cron.parse("30 3 * * 1,5");
    assertThat(c.next(t("2026-11-25T04:00:00Z"))).isEqualTo(t("2026-11-27T03:30:00Z"));
    assertThat(Cron.parse("0 0 * * 7").next(t("2026-11-25T00:00:00Z"))).as("7 is Sunday").isEqualTo(t("2026-11-29T00:00:00Z"));
    assertThat(Cron.parse("0 9-17/4 * * *").next(t("2026-11-25T13:00:00Z"))).isEqualTo(t("2026-11-25T17:00:00Z"));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEither() {
    // the 1st of the month or any Sunday, at midnight: after Wed 25th the next is Sunday 29th, then Dec 1st.
    Cron c = Cron.parse("0 0 1 * 0");
    assertThat(c.next(t("2026-11-25T00:00:00Z"))).isEqualTo(t("2026-11-29T00:00:00Z"));
    assertThat(c.next(t("2026-11-29T00:00:00Z"))).isEqualTo(t("2026-12-01T00:00:00Z"));
  }

  @Test
  void leapDayIsFoundYearsAhead() {
    assertThat(Cron.parse("0 0 29 2 *").next(t("2026-11-25T00:00:00Z"))).isEqualTo(t("2028-02-29T00:00:00Z"));
  }

  @Test
  void everyIsAlignedToTheEpochSoAllNodesAgree() {
    Cron c = Cron.parse("@every 30s");
    assertThat(c.next(t("2026-11-25T12:00:01.500Z"))).isEqualTo(t("2026-11-25T12:00:30Z"));
    assertThat(c.next(t("2026-11-25T12:00:30Z"))).isEqualTo(t("2026-11-25T12:01:00Z"));
    assertThat(Cron.parse("@every 5m").next(t("2026-11-25T12:03:00Z"))).isEqualTo(t("2026-11-25T12:05:00Z"));
    assertThat(Cron.parse("@hourly").next(t("2026-11-25T12:03:00Z"))).isEqualTo(t("2026-11-25T13:00:00Z"));
  }

  @Test
  void badSchedulesAreRejectedNamingThePart() {
    assertThatThrownBy(() -> Cron.parse("61 * * * *")).hasMessageContaining("minute").hasMessageContaining("61");
    assertThatThrownBy(() -> Cron.parse("* * *")).hasMessageContaining("5 or 6 fields");
    assertThatThrownBy(() -> Cron.parse("@every 0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Cron.parse("*/0 * * * *")).hasMessageContaining("*/0");
    assertThatThrownBy(() -> Cron.parse("5-1 * * * *")).hasMessageContaining("5-1");
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndIsCapped() {
    JobType type = JobType.of("x").backoffBase(java.time.Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      assertThat(Backoff.delayMs(type, 1)).isBetween(1000L, 2000L);
      assertThat(Backoff.delayMs(type, 3)).isBetween(4000L, 8000L);
      assertThat(Backoff.delayMs(type, 40)).isBetween(Backoff.CAP_MS / 2, Backoff.CAP_MS);
    }
  }
}
