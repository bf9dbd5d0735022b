package pharmaops.platform;

import java.util.List;

/** A configuration that cannot run; the message lists every problem so one restart fixes them all. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own, so checks of several sections can be reported together. */
  public List<String> problems() {
    return problems;
  }
}
