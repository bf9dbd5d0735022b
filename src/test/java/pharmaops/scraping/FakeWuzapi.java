package pharmaops.scraping;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import pharmaops.support.FakeHttpServer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wuzapi as far as we use it: {@code POST /chat/send/text} with header {@code Token} and
 * {@code {"Phone", "Body"}}. Counts accepted messages per phone, records when each arrived, and can refuse
 * the next messages to a phone (500, or 429 with Retry-After).
 */
public class FakeWuzapi extends FakeHttpServer {
  public record Message(String phone, String body, long nanoTime) {}

  private final String token;
  private final List<Message> accepted = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> failStatus = new ConcurrentHashMap<>();
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
      AtomicInteger left = failuresLeft.get(phone);
      if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        int status = failStatus.getOrDefault(phone, 500);
        if (status == 429 && retryAfter != null) ctx.response().putHeader("Retry-After", retryAfter);
        ctx.response().setStatusCode(status).end("{\"code\":" + status + ",\"success\":false}");
        return;
      }
      accepted.add(new Message(phone, body.getString("Body"), System.nanoTime()));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("code", 200).put("success", true)
          .put("data", new JsonObject().put("Details", "Sent").put("Id", "3EB0" + accepted.size())).encode());
    });
  }

  public void failNext(String phone, int n, int status, String retryAfterSeconds) {
    failStatus.put(phone, status);
    retryAfter = retryAfterSeconds;
    failuresLeft.put(phone, new AtomicInteger(n));
  }

  public int count(String phone) {
    return (int) accepted.stream().filter(m -> m.phone().equals(phone)).count();
  }

  public List<Message> accepted() {
    return accepted;
  }

  public String token() {
    return token;
  }
}
