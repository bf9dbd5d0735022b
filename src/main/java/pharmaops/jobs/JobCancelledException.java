package pharmaops.jobs;

/** Fails a handler's future when its job was cancelled; the engine records {@code cancelled}, never a retry. */
public final class JobCancelledException extends RuntimeException {
  public JobCancelledException(long id) {
    super("job " + id + " was cancelled", null, false, false);
  }
}
