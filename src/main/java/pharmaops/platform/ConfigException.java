package pharmaops.platform;

import java.util.List;

/** A configuration that cannot run; the message lists every problem so one restart fixes them all. */
public final class ConfigException extends RuntimeException {
  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
  }
}
