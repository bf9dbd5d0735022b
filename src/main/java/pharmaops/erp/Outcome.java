package pharmaops.erp;

import java.time.Instant;

/**
 * What one run did to one ERP. {@code fetched = inserted + updated + unchanged + quarantined} for every
 * page that was committed; {@code error} says why a failed ERP stopped (the pages before it stay synced).
 *
 * @param state       succeeded, failed, or skipped (another run was syncing it)
 * @param maxUpdatedAt the ERP's latest change seen, the next cursor (null when nothing came)
 */
public record Outcome(String source, String state, int fetched, int inserted, int updated, int unchanged,
                      int quarantined, int pages, String error, Instant startedAt, Instant finishedAt,
                      Instant maxUpdatedAt) {

  /** The same failure, attributed to {@code name}. */
  Outcome withSource(String name, Instant started) {
    return new Outcome(name, state, fetched, inserted, updated, unchanged, quarantined, pages, error, started, finishedAt, maxUpdatedAt);
  }

  public boolean succeeded() {
    return state.equals("succeeded");
  }
}
