package pharmaops.jobs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One {@code jobs.updated} consumer per node, fanned out to local listeners (WebSocket sessions, long polls), so
 * a thousand waiting clients cost one event-bus registration, not a thousand.
 */
public final class JobWatch {
  private final Vertx vertx;
  private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> consumer;

  /** A wait for one job's change; {@link #cancel} when the answer came another way. */
  public record Pending(Future<JsonObject> future, Runnable cancel) {}

  public JobWatch(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(JobEvents.UPDATED, m -> {
      for (Consumer<JsonObject> l : listeners) l.accept(m.body());
    });
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Calls {@code listener} (on the watch's event loop) for every event; run the returned action to stop. */
  public Runnable listen(Consumer<JsonObject> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * The first event of job {@code id} that satisfies {@code until}, or null after {@code timeoutMs}; completes on
   * the caller's context.
   */
  public Pending next(long id, Predicate<JsonObject> until, long timeoutMs) {
    Context ctx = vertx.getOrCreateContext();
    Promise<JsonObject> p = Promise.promise();
    AtomicBoolean over = new AtomicBoolean();
    Consumer<JsonObject>[] self = new Consumer[1];
    long[] timer = new long[1];
    Runnable cancel = () -> {
      if (over.compareAndSet(false, true)) {
        listeners.remove(self[0]);
        vertx.cancelTimer(timer[0]);
      }
    };
    self[0] = e -> {
      if (e.getLong("id", -1L) == id && until.test(e) && over.compareAndSet(false, true)) {
        listeners.remove(self[0]);
        vertx.cancelTimer(timer[0]);
        ctx.runOnContext(v -> p.tryComplete(e));
      }
    };
    listeners.add(self[0]);
    timer[0] = vertx.setTimer(Math.max(1, timeoutMs), t -> {
      if (over.compareAndSet(false, true)) {
        listeners.remove(self[0]);
        ctx.runOnContext(v -> p.tryComplete(null));
      }
    });
    return new Pending(p.future(), cancel);
  }
}
