package pharmaops.http;

import io.vertx.core.json.JsonObject;

/**
 * An error the client can act on, rendered as RFC 9457 {@code application/problem+json}. Throw it from a
 * handler or fail a future with it; {@link Failures} renders it.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final JsonObject extra;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  public Problem(int status, String title, String detail, JsonObject extra) {
    super(detail, null, false, false); // expected outcome, no stack trace needed
    this.status = status;
    this.title = title;
    this.extra = extra;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad request", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "Service unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** Extra members (e.g. per-field errors) merged into the problem document. */
  public JsonObject extra() {
    return extra;
  }
}
