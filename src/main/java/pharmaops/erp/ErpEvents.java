package pharmaops.erp;

/**
 * Event-bus addresses of the ERP sync. Replies and the finished event carry the run as
 * {@code GET /api/v1/sync/runs/{id}} shows it.
 */
public final class ErpEvents {
  /**
   * {@code {"runId": n}}: executes a created run and replies when it has finished (the erp.sync job sends it).
   * A local consumer on every node: send with {@code DeliveryOptions#setLocalOnly(true)}.
   */
  public static final String EXECUTE = "erp.sync.execute";
  /** Published after every run with the finished run. */
  public static final String FINISHED = "erp.sync.finished";

  private ErpEvents() {}
}
