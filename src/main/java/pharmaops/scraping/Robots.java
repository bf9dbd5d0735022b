package pharmaops.scraping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of one robots.txt for our user agent: the group naming our agent if any, else the {@code *}
 * group; the longest matching Allow/Disallow prefix wins (as Google and RFC 9309 do), {@code *} and
 * {@code $} wildcards supported.
 */
final class Robots {
  static final Robots ALLOW_ALL = new Robots(List.of());

  /** One Allow/Disallow line, its pattern compiled once (robots are cached per host and asked on every page). */
  private record Rule(boolean allow, String pattern, Pattern regex, boolean anchored) {
    static Rule of(boolean allow, String pattern) {
      boolean anchored = pattern.endsWith("$");
      String p = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
      StringBuilder re = new StringBuilder();
      for (String part : p.split("\\*", -1)) {
        if (re.length() > 0) re.append(".*");
        re.append(Pattern.quote(part));
      }
      return new Rule(allow, pattern, Pattern.compile(re.toString(), Pattern.DOTALL), anchored);
    }

    boolean matches(String path) {
      var m = regex.matcher(path);
      return anchored ? m.matches() : m.lookingAt();
    }
  }

  private final List<Rule> rules;

  private Robots(List<Rule> rules) {
    this.rules = rules;
  }

  static Robots parse(String text, String userAgent) {
    String agent = userAgent.toLowerCase(Locale.ROOT).split("/")[0];
    List<Rule> mine = new ArrayList<>();
    List<Rule> star = new ArrayList<>();
    List<String> agents = new ArrayList<>();
    List<Rule> group = new ArrayList<>();
    boolean inRules = false;
    boolean found = false;
    for (String raw : text.split("\\r?\\n")) {
      String line = raw.replaceAll("#.*", "").trim();
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (key.equals("user-agent")) {
        if (inRules) { // a user-agent line after rules starts a new group
          found |= collect(agents, group, agent, mine, star);
          agents.clear();
          group = new ArrayList<>();
          inRules = false;
        }
        agents.add(value.toLowerCase(Locale.ROOT));
      } else if (key.equals("allow") || key.equals("disallow")) {
        inRules = true;
        if (!value.isEmpty()) group.add(Rule.of(key.equals("allow"), value));
      }
    }
    found |= collect(agents, group, agent, mine, star);
    return new Robots(found ? mine : star);
  }

  private static boolean collect(List<String> agents, List<Rule> group, String agent, List<Rule> mine, List<Rule> star) {
    if (agents.contains("*")) star.addAll(group);
    if (!agents.contains(agent)) return false;
    mine.addAll(group);
    return true;
  }

  boolean allows(String pathAndQuery) {
    String path = pathAndQuery.isEmpty() ? "/" : pathAndQuery;
    Rule best = null;
    for (Rule r : rules) {
      if (r.matches(path) && (best == null || r.pattern.length() > best.pattern.length()
          || (r.pattern.length() == best.pattern.length() && r.allow))) {
        best = r;
      }
    }
    return best == null || best.allow;
  }
}
