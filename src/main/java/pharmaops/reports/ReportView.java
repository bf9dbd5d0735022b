package pharmaops.reports;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A report as clients see it, from its job: {@code {id, type, filters, state, progress, rowsWritten, createdAt,
 * finishedAt, error, fileUrl, expiresAt, deletedAt}}. {@code fileUrl} is set while a finished file is kept: not
 * once it expired, nor once its owner deleted it ({@code deletedAt}, recorded in the job's result).
 */
final class ReportView {
  private ReportView() {}

  static JsonObject of(JsonObject job) {
    JsonObject payload = job.getJsonObject("payload", new JsonObject());
    JsonObject details = job.getJsonObject("details");
    JsonObject result = job.getJsonObject("result");
    long rows = result != null ? result.getLong("rows", 0L) : details != null ? details.getLong("rowsWritten", 0L) : 0L;
    String expiresAt = result == null ? null : result.getString("expiresAt");
    boolean available = "succeeded".equals(job.getString("state")) && !expired(result) && deletedAt(result) == null;
    return new JsonObject().put("id", job.getLong("id")).put("type", payload.getString("reportType"))
        .put("filters", payload.getJsonObject("filters", new JsonObject())).put("state", job.getString("state"))
        .put("progress", job.getInteger("progress")).put("rowsWritten", rows).put("createdAt", job.getString("createdAt"))
        .put("finishedAt", job.getString("finishedAt")).put("error", job.getString("error"))
        .put("fileUrl", available ? "/api/v1/reports/" + job.getLong("id") + "/file" : null).put("expiresAt", expiresAt)
        .put("deletedAt", deletedAt(result));
  }

  static String deletedAt(JsonObject result) {
    return result == null ? null : result.getString("deletedAt");
  }

  static boolean expired(JsonObject result) {
    String at = result == null ? null : result.getString("expiresAt");
    return at == null || Instant.parse(at).isBefore(Instant.now());
  }

  /** Whether a long poll is over: the report will not change by itself any more. */
  static boolean settled(String state) {
    return "succeeded".equals(state) || "dead".equals(state) || "cancelled".equals(state);
  }
}
