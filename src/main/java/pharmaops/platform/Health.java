package pharmaops.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Readiness of this node. A CRITICAL check that fails makes the node DOWN (503: take it out of the load
 * balancer); a DEGRADING one only makes it DEGRADED (200: it still serves, e.g. search without Redis).
 */
public final class Health {
  public enum Impact { CRITICAL, DEGRADES }

  private record Check(String name, Impact impact, Supplier<Future<?>> probe) {}

  private final List<Check> checks = new ArrayList<>();
  private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
  private volatile boolean draining;

  public synchronized void register(String name, Impact impact, Supplier<Future<?>> probe) {
    checks.add(new Check(name, impact, probe));
  }

  /** From now on the node reports DOWN so that load balancers stop sending it traffic. */
  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Runs every check (2 s each) and aggregates them: {@code {"status": UP|DEGRADED|DOWN, "checks": {...}}}. */
  public Future<JsonObject> ready() {
    List<Check> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(checks);
    }
    List<Future<JsonObject>> results = new ArrayList<>();
    for (Check c : snapshot) {
      Future<?> f;
      try {
        f = c.probe().get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      results.add(f.timeout(2, TimeUnit.SECONDS)
          .map(v -> {
            lastErrors.remove(c.name());
            return new JsonObject().put("status", "UP");
          })
          .otherwise(err -> {
            String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
            lastErrors.put(c.name(), msg);
            return new JsonObject().put("status", "DOWN").put("impact", c.impact().name()).put("error", msg);
          }));
    }
    return Future.join(results).transform(ignored -> {
      JsonObject detail = new JsonObject();
      String status = draining ? "DOWN" : "UP";
      for (int i = 0; i < snapshot.size(); i++) {
        JsonObject r = results.get(i).result();
        detail.put(snapshot.get(i).name(), r);
        if ("DOWN".equals(r.getString("status"))) {
          if (snapshot.get(i).impact() == Impact.CRITICAL) status = "DOWN";
          else if (status.equals("UP")) status = "DEGRADED";
        }
      }
      JsonObject body = new JsonObject().put("status", status).put("checks", detail);
      if (draining) body.put("draining", true);
      return Future.succeededFuture(body);
    });
  }
}
