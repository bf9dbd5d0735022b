package pharmaops.kyc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import pharmaops.support.FakeHttpServer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reminder gateway that honours {@code Idempotency-Key} like the webhook contract requires: a repeated key is
 * answered 200 without acting again. {@link #resetAfterActing(int)} makes it act and then break the connection
 * before answering, which leaves the caller not knowing whether the reminder went out.
 */
public final class FakeReminderWebhook extends FakeHttpServer {
  private final Map<String, JsonObject> delivered = new ConcurrentHashMap<>();
  private final AtomicInteger repeats = new AtomicInteger();
  private final AtomicInteger resets = new AtomicInteger();

  public FakeReminderWebhook(Vertx vertx) {
    super(vertx);
    router().post("/reminders").handler(ctx -> {
      String key = ctx.request().getHeader("Idempotency-Key");
      if (key == null || key.isBlank()) {
        ctx.response().setStatusCode(400).end("Idempotency-Key required");
        return;
      }
      if (delivered.putIfAbsent(key, ctx.body().asJsonObject()) != null) {
        repeats.incrementAndGet();
        ctx.response().setStatusCode(200).end("{\"duplicate\":true}");
        return;
      }
      if (resets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ctx.request().connection().close();
        return;
      }
      ctx.response().setStatusCode(200).end("{\"duplicate\":false}");
    });
  }

  public String url() {
    return baseUrl() + "/reminders";
  }

  /** The next {@code n} new reminders are acted on, then the connection is closed without an answer. */
  public void resetAfterActing(int n) {
    resets.set(n);
  }

  /** Reminders acted on (distinct idempotency keys). */
  public int delivered() {
    return delivered.size();
  }

  /** Requests that repeated a key already acted on (answered without acting). */
  public int repeats() {
    return repeats.get();
  }
}
