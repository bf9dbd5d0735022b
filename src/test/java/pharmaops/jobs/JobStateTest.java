package pharmaops.jobs;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static pharmaops.jobs.JobState.CANCELLED;
import static pharmaops.jobs.JobState.DEAD;
import static pharmaops.jobs.JobState.FAILED;
import static pharmaops.jobs.JobState.QUEUED;
import static pharmaops.jobs.JobState.RUNNING;
import static pharmaops.jobs.JobState.SUCCEEDED;

class JobStateTest {
  /** The whole table written out once more, independently: every one of the 36 pairs is checked against it. */
  private static final Map<JobState, Set<JobState>> EXPECTED = Map.of(
      QUEUED, EnumSet.of(RUNNING, CANCELLED),
      RUNNING, EnumSet.of(SUCCEEDED, FAILED, DEAD, CANCELLED, QUEUED),
      FAILED, EnumSet.of(RUNNING, CANCELLED),
      DEAD, EnumSet.of(QUEUED),
      SUCCEEDED, EnumSet.noneOf(JobState.class),
      CANCELLED, EnumSet.noneOf(JobState.class));

  @Test
  void everyPairOfStatesIsAllowedExactlyWhenTheTableSaysSo() {
    for (JobState from : JobState.values()) {
      for (JobState to : JobState.values()) {
        assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(EXPECTED.get(from).contains(to));
      }
    }
  }

  @Test
  void noStateMayStayWhereItIs() {
    for (JobState s : JobState.values()) assertThat(s.canBecome(s)).as(s.wire()).isFalse();
  }

  @Test
  void onlySucceededAndCancelledAreTerminalAndDeadCanBeRetried() {
    assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::terminal)).containsExactlyInAnyOrder(SUCCEEDED, CANCELLED);
    assertThat(DEAD.canBecome(QUEUED)).isTrue();
    assertThat(DEAD.finished()).isTrue();
  }

  @Test
  void sqlGuardsAreDerivedFromTheTable() {
    assertThat(JobState.sources(CANCELLED)).containsExactlyInAnyOrder("queued", "running", "failed");
    assertThat(JobState.sources(RUNNING)).containsExactlyInAnyOrder("queued", "failed");
    assertThat(JobState.sources(QUEUED)).containsExactlyInAnyOrder("running", "dead");
  }

  @Test
  void everyMoveTheEngineStatementsMakeIsInTheTable() {
    // CLAIM, then COMPLETE / REAP / RELEASE, as written out in JobsSql.
    assertThat(QUEUED.canBecome(RUNNING) && FAILED.canBecome(RUNNING)).isTrue();
    for (JobState to : EnumSet.of(SUCCEEDED, FAILED, DEAD, CANCELLED, QUEUED)) assertThat(RUNNING.canBecome(to)).as(to.wire()).isTrue();
  }

  @Test
  void wireNamesRoundTripAndUnknownNamesAreNull() {
    for (JobState s : JobState.values()) assertThat(JobState.fromWire(s.wire())).isEqualTo(s);
    assertThat(JobState.fromWire(" Dead ")).isEqualTo(DEAD);
    assertThat(JobState.fromWire("paused")).isNull();
    assertThat(JobState.fromWire(null)).isNull();
  }
}
