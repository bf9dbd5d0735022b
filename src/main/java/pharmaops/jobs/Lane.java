package pharmaops.jobs;

/** Claim state of one job type on one engine (confined to the engine's event loop). */
final class Lane {
  final JobRegistry.Registered reg;
  int inFlight;
  boolean claiming;
  /** Due jobs may exist: a NOTIFY, a poll tick, a full claim or a re-queue said so. */
  boolean dirty = true;

  Lane(JobRegistry.Registered reg) {
    this.reg = reg;
  }
}
