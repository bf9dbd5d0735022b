package pharmaops.jobs;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.auth.Principal;
import pharmaops.http.Auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * {@code GET /ws/jobs?access_token=}: a client sends {@code {"subscribe": <jobId>}} or {@code {"subscribe": "mine"}}
 * (and {@code unsubscribe} likewise) and receives the {@code jobs.updated} documents of those jobs. Only the
 * caller's own jobs (admins: any job by id): a job of someone else is answered as not found, never streamed.
 */
final class JobsSocket {
  private static final Logger log = LoggerFactory.getLogger(JobsSocket.class);
  private static final int MAX_SUBSCRIPTIONS = 1000;
  private final JobWatch watch;
  private final JobStore store;

  JobsSocket(JobWatch watch, JobStore store) {
    this.watch = watch;
    this.store = store;
  }

  void handle(RoutingContext ctx) {
    Principal who = Auth.principal(ctx);
    ctx.request().toWebSocket().onSuccess(ws -> session(ws, who)).onFailure(ctx::fail);
  }

  private void session(ServerWebSocket ws, Principal who) {
    Set<Long> ids = ConcurrentHashMap.newKeySet();
    boolean[] mine = {false};
    Runnable stop = watch.listen(e -> {
      boolean own = who.subject().equals(e.getString("owner"));
      boolean byId = ids.contains(e.getLong("id"));
      if ((own && (mine[0] || byId)) || (who.isAdmin() && byId)) ws.writeTextMessage(e.encode());
    });
    ws.closeHandler(v -> stop.run());
    ws.exceptionHandler(e -> log.debug("job socket error {}", kv("error", e.toString())));
    ws.textMessageHandler(text -> {
      JsonObject msg;
      try {
        msg = new JsonObject(text);
      } catch (RuntimeException e) {
        ws.writeTextMessage(error("send JSON such as {\"subscribe\": 42} or {\"subscribe\": \"mine\"}"));
        return;
      }
      Object sub = msg.getValue("subscribe");
      Object unsub = msg.getValue("unsubscribe");
      if ("mine".equals(sub)) {
        mine[0] = true;
        ws.writeTextMessage(new JsonObject().put("subscribed", "mine").encode());
      } else if ("mine".equals(unsub)) {
        mine[0] = false;
        ws.writeTextMessage(new JsonObject().put("unsubscribed", "mine").encode());
      } else if (sub instanceof Number n) {
        subscribe(ws, who, ids, n.longValue());
      } else if (unsub instanceof Number n) {
        ids.remove(n.longValue());
        ws.writeTextMessage(new JsonObject().put("unsubscribed", n.longValue()).encode());
      } else {
        ws.writeTextMessage(error("expected {\"subscribe\": <job id> | \"mine\"} or {\"unsubscribe\": ...}"));
      }
    });
  }

  private void subscribe(ServerWebSocket ws, Principal who, Set<Long> ids, long id) {
    if (ids.size() >= MAX_SUBSCRIPTIONS) {
      ws.writeTextMessage(error("at most " + MAX_SUBSCRIPTIONS + " subscriptions per connection"));
      return;
    }
    store.get(id).onComplete(ar -> {
      var job = ar.succeeded() ? ar.result().orElse(null) : null;
      if (job == null || !(who.isAdmin() || who.subject().equals(job.getString("owner")))) {
        ws.writeTextMessage(error("no job " + id));
        return;
      }
      ids.add(id);
      // The current state first, so a client that subscribes late still learns where the job stands.
      ws.writeTextMessage(new JsonObject().put("subscribed", id).encode());
      ws.writeTextMessage(JobEvent.of(id, job.getString("type"), job.getString("state"), job.getInteger("progress"),
          job.getInteger("attempts"), job.getString("owner"), job.getJsonObject("details"), job.getString("error")).encode());
    });
  }

  private static String error(String message) {
    return new JsonObject().put("error", message).encode();
  }
}
