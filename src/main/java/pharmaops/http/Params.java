package pharmaops.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Validated reads of query parameters, path parameters and JSON bodies. Each failure is a 400 problem that
 * names the parameter, what was expected and what came, so a client can fix its call from the message.
 */
public final class Params {
  private Params() {}

  public static int intQuery(RoutingContext ctx, String name, int def, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) return def;
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= min && v <= max) return (int) v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
        + ", got '" + clip(raw) + "'.");
  }

  /**
   * The keyset {@code cursor} query parameter: the positive id a previous page gave as its {@code next}, or null
   * for the first page.
   */
  public static Long cursorQuery(RoutingContext ctx) {
    String raw = stringQuery(ctx, "cursor", 20);
    if (raw == null) return null;
    try {
      long v = Long.parseLong(raw);
      if (v > 0) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.badRequest("Query parameter 'cursor' must be the 'next' value of a previous page, got '" + clip(raw) + "'.");
  }

  /** An optional query parameter, trimmed, at most {@code maxLength} characters; null when absent or blank. */
  public static String stringQuery(RoutingContext ctx, String name, int maxLength) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) return null;
    String v = raw.trim();
    if (v.length() > maxLength) {
      throw Problem.badRequest("Query parameter '" + name + "' is " + v.length() + " characters long; the limit is "
          + maxLength + ".");
    }
    return v;
  }

  public static boolean boolQuery(RoutingContext ctx, String name, boolean def) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) return def;
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw Problem.badRequest("Query parameter '" + name + "' must be true or false, got '" + clip(raw) + "'.");
    };
  }

  public static long longPath(RoutingContext ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      long v = Long.parseLong(raw);
      if (v > 0) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.notFound("No " + name + " '" + clip(raw) + "': ids are positive whole numbers.");
  }

  public static UUID uuidPath(RoutingContext ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("No " + name + " '" + clip(raw) + "': ids are UUIDs.");
    }
  }

  /** The request body as a JSON object; 415 for another content type, 400 when empty, malformed or not an object. */
  public static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      throw new Problem(415, "Unsupported media type", "Send the body as application/json, not '" + clip(type) + "'.");
    }
    var body = ctx.body();
    if (body == null || body.length() == 0) throw Problem.badRequest("The request body must be a JSON object; it is empty.");
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body.buffer());
    } catch (DecodeException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw Problem.badRequest("The request body is not valid JSON: " + clip(msg));
    }
    if (parsed instanceof JsonObject o) return o;
    throw Problem.badRequest("The request body must be a JSON object, got " + (parsed == null ? "null" : parsed.getClass().getSimpleName()) + ".");
  }

  /** A required string field of 1..maxLength characters (after trimming). */
  public static String requiredString(JsonObject body, String field, int maxLength) {
    String v = optionalString(body, field, maxLength);
    if (v == null) throw Problem.badRequest("Field '" + field + "' is required and must be a non-empty string.");
    return v;
  }

  public static String optionalString(JsonObject body, String field, int maxLength) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw Problem.badRequest("Field '" + field + "' must be a string, got " + typeName(v) + ".");
    String t = s.trim();
    if (t.isEmpty()) return null;
    if (t.length() > maxLength) {
      throw Problem.badRequest("Field '" + field + "' is " + t.length() + " characters long; the limit is " + maxLength + ".");
    }
    return t;
  }

  public static Integer optionalInt(JsonObject body, String field, int min, int max) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= min && n.longValue() <= max) {
      return n.intValue();
    }
    throw Problem.badRequest("Field '" + field + "' must be a whole number from " + min + " to " + max + ", got " + clip(String.valueOf(v)) + ".");
  }

  /** A list of strings each of which must be one of {@code allowed} (case-insensitive); returns lower case. */
  public static List<String> stringsFrom(JsonObject body, String field, Set<String> allowed, boolean required) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) throw Problem.badRequest("Field '" + field + "' is required: a list of " + allowed + ".");
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) throw Problem.badRequest("Field '" + field + "' must be a list, got " + typeName(v) + ".");
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || !allowed.contains(s.trim().toLowerCase(Locale.ROOT))) {
        throw Problem.badRequest("Field '" + field + "' may only hold " + allowed + ", got " + clip(String.valueOf(o)) + ".");
      }
      String norm = s.trim().toLowerCase(Locale.ROOT);
      if (!out.contains(norm)) out.add(norm);
    }
    if (required && out.isEmpty()) throw Problem.badRequest("Field '" + field + "' must not be empty.");
    return out;
  }

  static String typeName(Object v) {
    if (v instanceof JsonObject) return "an object";
    if (v instanceof JsonArray) return "a list";
    if (v instanceof Number) return "a number";
    if (v instanceof Boolean) return "a boolean";
    return "a " + v.getClass().getSimpleName();
  }

  /** Cuts echoed input so an error message never carries a 10 kB query back. */
  public static String clip(String s) {
    if (s == null) return "";
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
