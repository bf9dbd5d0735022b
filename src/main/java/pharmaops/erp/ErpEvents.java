package pharmaops.erp;

/**
 * Event-bus addresses of the ERP sync. Request bodies: {@code {"full": bool, "sources": [name...],
 * "trigger": "manual"|"schedule", "requestedBy": subject|null, "runKey": slot|null}}. Replies and the
 * finished event carry the run as {@code GET /api/v1/sync/runs} shows it.
 */
public final class ErpEvents {
  /** Starts a run and replies at once with it (state running); the run goes on in the background. */
  public static final String START = "erp.sync.start";
  /** Runs a sync and replies when it has finished (schedules and jobs use this). */
  public static final String RUN = "erp.sync.run";
  /** Published after every run with the finished run. */
  public static final String FINISHED = "erp.sync.finished";

  private ErpEvents() {}
}
