package pharmaops.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed, validating reads of one configuration section. Problems are collected, not thrown, so that
 * start-up reports every bad value at once, each with the key and the environment variable that sets it.
 */
public final class ConfigReader {
  private final String path;
  private final JsonObject json;
  private final List<String> problems;

  public ConfigReader(String path, JsonObject json, List<String> problems) {
    this.path = path;
    this.json = json == null ? new JsonObject() : json;
    this.problems = problems;
  }

  /** A reader over the whole document that collects into a fresh problem list. */
  public static ConfigReader root(JsonObject json) {
    return new ConfigReader("", json, new ArrayList<>());
  }

  public ConfigReader section(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonObject)) problem(key, "must be an object");
    return new ConfigReader(key(key), v instanceof JsonObject o ? o : new JsonObject(), problems);
  }

  public JsonObject json() {
    return json;
  }

  public String string(String key, String def) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (!(v instanceof String s)) {
      problem(key, "must be a string, got " + v);
      return def;
    }
    return s.trim();
  }

  public long longIn(String key, long def, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) return def;
    long n;
    if (v instanceof Number num && num.doubleValue() == num.longValue()) {
      n = num.longValue();
    } else {
      problem(key, "must be a whole number, got " + v);
      return def;
    }
    if (n < min || n > max) {
      problem(key, "must be between " + min + " and " + max + ", got " + n);
      return def;
    }
    return n;
  }

  public int intIn(String key, int def, int min, int max) {
    return (int) longIn(key, def, min, max);
  }

  public boolean bool(String key, boolean def) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    problem(key, "must be true or false, got " + v);
    return def;
  }

  public String oneOf(String key, String def, Set<String> allowed) {
    String v = string(key, def).toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      problem(key, "must be one of " + allowed + ", got '" + v + "'");
      return def;
    }
    return v;
  }

  public List<String> strings(String key, List<String> def) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (!(v instanceof JsonArray arr)) {
      problem(key, "must be a list of strings");
      return def;
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (o instanceof String s) out.add(s.trim());
      else problem(key, "must hold only strings, got " + o);
    }
    return List.copyOf(out);
  }

  public JsonArray array(String key) {
    Object v = json.getValue(key);
    if (v == null) return new JsonArray();
    if (v instanceof JsonArray a) return a;
    problem(key, "must be a list");
    return new JsonArray();
  }

  /** Records a problem found by the caller's own validation. */
  public void problem(String key, String message) {
    String k = key(key);
    problems.add(k + ": " + message + " (set in conf/config.json or " + ConfigLoader.envName(k) + ")");
  }

  public List<String> problems() {
    return problems;
  }

  /** Throws a {@link ConfigException} listing every problem recorded so far, if any. */
  public void failOnProblems() {
    if (!problems.isEmpty()) throw new ConfigException(problems);
  }

  private String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }
}
