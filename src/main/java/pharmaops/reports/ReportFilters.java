package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import pharmaops.http.Params;
import pharmaops.http.Problem;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Checks a request's filters against its type's spec: a 400 names the filter, what it takes and what came. */
final class ReportFilters {
  static final int MAX_TEXT = 200;

  private ReportFilters() {}

  /** The normalised filters (timestamps as ISO instants; blanks dropped), or a 400 problem. */
  static JsonObject validate(ReportType type, JsonObject raw) {
    JsonObject out = new JsonObject();
    if (raw == null) return out;
    for (String key : raw.fieldNames()) {
      ReportFilter spec = type.filters().stream().filter(f -> f.name().equals(key)).findFirst().orElseThrow(() ->
          Problem.badRequest("Report '" + type.name() + "' has no filter '" + Params.clip(key) + "'; it takes "
              + type.filters().stream().map(ReportFilter::name).toList() + "."));
      Object v = raw.getValue(key);
      if (v == null) continue;
      if (!(v instanceof String s)) {
        throw Problem.badRequest("Filter '" + key + "' must be a string, got " + Params.clip(String.valueOf(v)) + ".");
      }
      String t = s.trim();
      if (t.isEmpty()) continue;
      if (t.length() > MAX_TEXT) throw Problem.badRequest("Filter '" + key + "' is longer than " + MAX_TEXT + " characters.");
      out.put(key, switch (spec.kind()) {
        case "timestamp" -> instant(key, t);
        case "enum" -> member(spec, t);
        default -> t;
      });
    }
    return out;
  }

  private static String instant(String key, String t) {
    try {
      return OffsetDateTime.parse(t).toInstant().toString();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException e2) {
        throw Problem.badRequest("Filter '" + key + "' must be an ISO-8601 date or timestamp such as 2026-11-01 or "
            + "2026-11-01T00:00:00Z, got '" + Params.clip(t) + "'.");
      }
    }
  }

  private static String member(ReportFilter spec, String t) {
    return spec.values().stream().filter(v -> v.equalsIgnoreCase(t)).findFirst().orElseThrow(() ->
        Problem.badRequest("Filter '" + spec.name() + "' must be one of " + spec.values() + ", got '" + Params.clip(t) + "'."));
  }
}
