package pharmaops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.AppConfig;

import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line tasks of the same jar ({@code java -jar pharmaops.jar <command> ...}); with no command, or
 * {@code serve}, the jar runs the server. Each capability registers its commands here, one line each.
 */
final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  /** A task run to completion; returns the process exit code. */
  interface Command {
    int run(AppConfig config, String[] args) throws Exception;

    String usage();
  }

  private Commands() {}

  static Map<String, Command> all() {
    return new TreeMap<>();
  }

  static int run(AppConfig config, String[] args) {
    Map<String, Command> commands = all();
    Command c = commands.get(args[0]);
    if (c == null) {
      StringBuilder sb = new StringBuilder("usage: java -jar pharmaops.jar [serve");
      commands.keySet().forEach(k -> sb.append(" | ").append(k));
      sb.append("]");
      commands.forEach((k, v) -> sb.append("\n  ").append(k).append(' ').append(v.usage()));
      log.error("unknown command '{}'\n{}", args[0], sb);
      return 2;
    }
    try {
      return c.run(config, args);
    } catch (Exception e) {
      log.error("command {} failed: {}", args[0], e.toString(), e);
      return 1;
    }
  }
}
