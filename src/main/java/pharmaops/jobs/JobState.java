package pharmaops.jobs;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The states of a job and the one table of allowed transitions. CANCEL guards on the source states this table
 * allows ({@link #sources}); RETRY on DEAD alone (RUNNING -> QUEUED is the engine's). The engine's own
 * statements in {@link JobsSql} spell their guards out: CLAIM moves QUEUED or FAILED to RUNNING, and COMPLETE,
 * REAP and RELEASE move only RUNNING jobs (those holding a lease) to SUCCEEDED, FAILED, DEAD, CANCELLED or
 * QUEUED; each of those pairs is in the table, which {@code JobStateTest} checks.
 */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED, DEAD, CANCELLED;

  private static final Map<JobState, Set<JobState>> NEXT = new EnumMap<>(JobState.class);

  static {
    // claim; cancel before it ran
    NEXT.put(QUEUED, EnumSet.of(RUNNING, CANCELLED));
    // outcome of an attempt; QUEUED = lease expired (worker died) or released at graceful shutdown
    NEXT.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, DEAD, CANCELLED, QUEUED));
    // FAILED waits for its backoff and is claimed again, unless cancelled meanwhile
    NEXT.put(FAILED, EnumSet.of(RUNNING, CANCELLED));
    // an admin retries a dead job
    NEXT.put(DEAD, EnumSet.of(QUEUED));
    NEXT.put(SUCCEEDED, EnumSet.noneOf(JobState.class));
    NEXT.put(CANCELLED, EnumSet.noneOf(JobState.class));
  }

  public boolean canBecome(JobState to) {
    return NEXT.get(this).contains(to);
  }

  public Set<JobState> next() {
    return Collections.unmodifiableSet(NEXT.get(this));
  }

  /** No transition leaves it: the job is over for good. */
  public boolean terminal() {
    return NEXT.get(this).isEmpty();
  }

  /** Over, possibly for now (a dead job may still be retried by an admin). */
  public boolean finished() {
    return this == SUCCEEDED || this == DEAD || this == CANCELLED;
  }

  /** The states from which {@code to} may be reached, in wire form, for SQL guards. */
  public static String[] sources(JobState to) {
    return Arrays.stream(values()).filter(s -> s.canBecome(to)).map(JobState::wire).toArray(String[]::new);
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; null when it is not a state. */
  public static JobState fromWire(String s) {
    if (s == null) return null;
    for (JobState st : values()) if (st.wire().equals(s.trim().toLowerCase(Locale.ROOT))) return st;
    return null;
  }
}
