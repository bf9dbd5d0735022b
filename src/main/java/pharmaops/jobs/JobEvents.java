package pharmaops.jobs;

/**
 * Event-bus address of job state changes, published (cluster-wide) on every transition and progress report:
 * <pre>{"id": 42, "type": "report.export", "state": "running", "progress": 37, "attempt": 1,
 *  "owner": "maria@sac", "details": {...}, "error": null, "at": "2026-11-25T12:00:00Z"}</pre>
 * {@code state} is one of queued, running, succeeded, failed, dead, cancelled. A job's {@code queued} event
 * can arrive after its first {@code running} one (a polling worker may claim it between the enqueue's commit and
 * the announcement); all later events of a job come in order, and the final state is always its last event.
 */
public final class JobEvents {
  public static final String UPDATED = "jobs.updated";

  private JobEvents() {}
}
