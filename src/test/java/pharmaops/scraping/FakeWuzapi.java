package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import pharmaops.support.FakeHttpServer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Wuzapi as far as we use it: {@code POST /chat/send/text} with header {@code Token} and
 * {@code {"Phone", "Body", "Id"}} (a random Id when none is given, as Wuzapi does). Like WhatsApp it shows a
 * message whose Id it has seen once: {@link #count} counts the distinct messages a phone received,
 * {@link #posts} every accepted request. It records when each request arrived, can refuse the next messages
 * to a phone (500, or 429 with Retry-After), and can run a hook before it answers the next one (a test
 * kills the sending node there).
 */
public class FakeWuzapi extends FakeHttpServer {
  public record Message(String phone, String body, String id, long nanoTime) {}

  /** What to do with the next request to a phone once its hook is done: deliver it, or answer 503 unseen. */
  private record Hook(Supplier<Future<Void>> before, boolean deliver) {}

  private final String token;
  private final List<Message> accepted = new CopyOnWriteArrayList<>();
  private final List<Message> refused = new CopyOnWriteArrayList<>();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> failStatus = new ConcurrentHashMap<>();
  private final Map<String, Hook> hooks = new ConcurrentHashMap<>();
  private volatile String retryAfter;

  public FakeWuzapi(Vertx vertx, String token) {
    super(vertx);
    this.token = token;
    router().post("/chat/send/text").handler(ctx -> {
      if (!token.equals(ctx.request().getHeader("Token"))) {
        ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("code", 401).put("success", false).put("error", "unauthorized").encode());
        return;
      }
      JsonObject body = ctx.body().asJsonObject();
      String phone = body.getString("Phone");
      String id = body.getString("Id", UUID.randomUUID().toString().replace("-", "").toUpperCase());
      Message m = new Message(phone, body.getString("Body"), id, System.nanoTime());
      AtomicInteger left = failuresLeft.get(phone);
      if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        refused.add(m);
        int status = failStatus.getOrDefault(phone, 500);
        if (status == 429 && retryAfter != null) ctx.response().putHeader("Retry-After", retryAfter);
        ctx.response().setStatusCode(status).end("{\"code\":" + status + ",\"success\":false}");
        return;
      }
      Hook hook = hooks.remove(phone);
      Future<Void> before = hook == null ? Future.succeededFuture() : hook.before().get().otherwiseEmpty();
      before.onComplete(v -> {
        if (hook != null && !hook.deliver()) {
          refused.add(m);
          ctx.response().setStatusCode(503).end("{\"code\":503,\"success\":false}");
          return;
        }
        accepted.add(m);
        delivered.add(phone + "/" + id);
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("code", 200).put("success", true)
            .put("data", new JsonObject().put("Details", "Sent").put("Id", id)).encode());
      });
    });
  }

  public void failNext(String phone, int n, int status, String retryAfterSeconds) {
    failStatus.put(phone, status);
    retryAfter = retryAfterSeconds;
    failuresLeft.put(phone, new AtomicInteger(n));
  }

  /** Runs {@code before} when the next message to {@code phone} arrives, then delivers it (200) or not (503). */
  public void beforeNext(String phone, Supplier<Future<Void>> before, boolean deliver) {
    hooks.put(phone, new Hook(before, deliver));
  }

  /** Distinct messages the phone received (a repeated Id is the same message). */
  public int count(String phone) {
    return (int) delivered.stream().filter(k -> k.startsWith(phone + "/")).count();
  }

  /** Requests to the phone answered 200, repeats included. */
  public int posts(String phone) {
    return (int) accepted.stream().filter(m -> m.phone().equals(phone)).count();
  }

  public List<Message> accepted() {
    return accepted;
  }

  /** Requests answered with an error (injected failures, hooks that do not deliver). */
  public List<Message> refused() {
    return refused;
  }

  public String token() {
    return token;
  }
}
