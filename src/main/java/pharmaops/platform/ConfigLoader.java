package pharmaops.platform;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code conf/config.json} and overlays environment variables. Every leaf key has exactly one
 * variable, derived from its path: {@code http.port} is {@code PHARMAOPS_HTTP_PORT},
 * {@code http.bodyLimitBytes} is {@code PHARMAOPS_HTTP_BODY_LIMIT_BYTES}. The value is parsed to the
 * type of the file's value, so a typo in a number fails at start instead of deep inside a verticle.
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  static final String ENV_PREFIX = "PHARMAOPS_";
  /** Conventional names accepted as well as the derived ones. */
  static final Map<String, String> ALIASES = Map.of("PG_URL", "pg.url", "REDIS_URL", "redis.url");
  /**
   * Variables that are read directly and never belong in a file: the admin token, the file's own path, and the
   * log levels logback reads before any configuration is loaded.
   */
  static final Set<String> NOT_IN_FILE = Set.of("PHARMAOPS_ADMIN_TOKEN", "PHARMAOPS_CONFIG", "PHARMAOPS_LOG_LEVEL",
      "PHARMAOPS_ACCESS_LOG_LEVEL");

  private ConfigLoader() {}

  /** The file named by {@code PHARMAOPS_CONFIG}, else {@code conf/config.json}, else the copy inside the jar. */
  public static JsonObject readFile(Map<String, String> env) {
    String explicit = env.get("PHARMAOPS_CONFIG");
    Path path = Path.of(explicit != null && !explicit.isBlank() ? explicit : "conf/config.json");
    try {
      if (Files.exists(path)) return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
      if (explicit != null && !explicit.isBlank()) {
        throw new ConfigException(List.of("PHARMAOPS_CONFIG: file " + path.toAbsolutePath() + " does not exist"));
      }
      try (InputStream in = ConfigLoader.class.getResourceAsStream("/conf/config.json")) {
        if (in == null) throw new ConfigException(List.of("no conf/config.json in the working directory or the jar"));
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:/conf/config.json");
      }
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read " + path + ": " + e.getMessage()));
    }
  }

  private static JsonObject parse(String text, String where) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(List.of(where + " is not valid JSON: " + e.getMessage()));
    }
  }

  /** A copy of {@code file} with environment values laid over it; throws on values of the wrong type. */
  public static JsonObject overlay(JsonObject file, Map<String, String> env) {
    JsonObject out = file.copy();
    Map<String, String> byPath = new LinkedHashMap<>();
    for (var e : env.entrySet()) {
      String path = ALIASES.get(e.getKey());
      if (path != null) byPath.put(path, e.getValue());
    }
    Map<String, String> known = new LinkedHashMap<>();
    leaves(out, "", known);
    List<String> unknown = new ArrayList<>();
    for (var e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || NOT_IN_FILE.contains(name)) continue;
      String path = known.get(name);
      if (path == null) unknown.add(name);
      else byPath.put(path, e.getValue()); // the derived name wins over an alias
    }
    List<String> problems = new ArrayList<>();
    byPath.forEach((path, raw) -> set(out, path, raw, problems));
    if (!problems.isEmpty()) throw new ConfigException(problems);
    // Secrets live in variables the document names (kyc.smtp.passwordEnv, erp.sources[].tokenEnv, ...), so they are
    // known too; the names are taken after the overlay, which may itself rename them.
    Set<String> referenced = secretEnvNames(out);
    for (String name : unknown) {
      if (!referenced.contains(name)) log.warn("ignoring unknown environment variable {}: no such key in conf/config.json", name);
    }
    return out;
  }

  /** The values of every {@code *Env} key of the document, at any depth and inside lists: the secret variables. */
  static Set<String> secretEnvNames(Object node) {
    Set<String> out = new java.util.HashSet<>();
    collectEnvNames(node, out);
    return out;
  }

  private static void collectEnvNames(Object node, Set<String> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (key.endsWith("Env") && v instanceof String s && !s.isBlank()) out.add(s.trim());
        else collectEnvNames(v, out);
      }
    } else if (node instanceof JsonArray a) {
      for (Object v : a) collectEnvNames(v, out);
    }
  }

  /** Every leaf path of the document, keyed by its environment variable name. */
  public static Map<String, String> leafEnvNames(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    leaves(json, "", out);
    return out;
  }

  private static void leaves(JsonObject json, String prefix, Map<String, String> out) {
    for (String key : json.fieldNames()) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (json.getValue(key) instanceof JsonObject child) leaves(child, path, out);
      else out.put(envName(path), path);
    }
  }

  /** {@code http.bodyLimitBytes} becomes {@code PHARMAOPS_HTTP_BODY_LIMIT_BYTES}. */
  public static String envName(String path) {
    StringBuilder sb = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.') sb.append('_');
      else if (Character.isUpperCase(c)) sb.append('_').append(c);
      else sb.append(Character.toUpperCase(c));
    }
    return sb.toString();
  }

  private static void set(JsonObject root, String path, String raw, List<String> problems) {
    String[] parts = path.split("\\.");
    JsonObject parent = root;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.getJsonObject(parts[i]);
    }
    String key = parts[parts.length - 1];
    Object current = parent.getValue(key);
    String name = envName(path);
    try {
      parent.put(key, convert(current, raw.trim()));
    } catch (IllegalArgumentException | DecodeException e) {
      problems.add(path + ": environment variable " + name + "='" + raw + "' " + e.getMessage());
    }
  }

  private static Object convert(Object current, String raw) {
    if (current instanceof Boolean) {
      if (raw.equalsIgnoreCase("true")) return true;
      if (raw.equalsIgnoreCase("false")) return false;
      throw new IllegalArgumentException("must be true or false");
    }
    if (current instanceof Number) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number");
      }
    }
    if (current instanceof JsonArray) {
      if (raw.startsWith("[")) return new JsonArray(raw);
      JsonArray arr = new JsonArray();
      for (String s : raw.split(",")) if (!s.isBlank()) arr.add(s.trim());
      return arr;
    }
    return raw;
  }
}
