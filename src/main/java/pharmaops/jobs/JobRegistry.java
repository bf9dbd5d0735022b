package pharmaops.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The handlers registered on this node, by type name. Modules register from any thread; the engine reads. */
final class JobRegistry {
  record Registered(JobType type, JobHandler handler) {}

  private final Map<String, Registered> handlers = new ConcurrentHashMap<>();

  Map<String, Registered> handlers() {
    return handlers;
  }

  void register(JobType type, JobHandler handler) {
    if (type.maxAttempts() < 1 || type.concurrency() < 1 || type.timeout().isNegative() || type.timeout().isZero()) {
      throw new IllegalArgumentException("job type " + type.name() + " needs maxAttempts, concurrency and timeout > 0");
    }
    if (handlers.putIfAbsent(type.name(), new Registered(type, handler)) != null) {
      throw new IllegalStateException("a handler for job type " + type.name() + " is already registered");
    }
  }
}
