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
    Map<String, Command> all = new TreeMap<>();
    all.put("import-anvisa", command(pharmaops.search.imports.ImportCommands::anvisa, pharmaops.search.imports.ImportCommands.ANVISA_USAGE));
    all.put("import-leaflets", command(pharmaops.search.imports.ImportCommands::leaflets, pharmaops.search.imports.ImportCommands.LEAFLETS_USAGE));
    return all;
  }

  /** The body of a command, so capabilities can register a static method with its usage line. */
  interface Body {
    int run(AppConfig config, String[] args) throws Exception;
  }

  static Command command(Body body, String usage) {
    return new Command() {
      @Override
      public int run(AppConfig config, String[] args) throws Exception {
        return body.run(config, args);
      }

      @Override
      public String usage() {
        return usage;
      }
    };
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
