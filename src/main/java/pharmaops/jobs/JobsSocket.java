package pharmaops.jobs;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.auth.Principal;
import pharmaops.http.Auth;

import java.util.function.Consumer;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * {@code GET /ws/jobs?access_token=}: a client sends {@code {"subscribe": <jobId>}} or {@code {"subscribe": "mine"}}
 * (and {@code unsubscribe} likewise) and receives the {@code jobs.updated} documents of those jobs. Only the
 * caller's own jobs (admins: any job by id): a job of someone else is answered as not found, never streamed.
 * A client that stops reading is disconnected (close code {@value #TOO_SLOW}) rather than buffered for without bound.
 */
final class JobsSocket {
  private static final Logger log = LoggerFactory.getLogger(JobsSocket.class);
  /** "Try again later": reconnecting and subscribing again brings the current state. */
  static final short TOO_SLOW = 1013;
  static final String TOO_SLOW_REASON = "client too slow: job events piled up unread; reconnect and subscribe again";
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
    Context ctx = Vertx.currentContext();
    boolean[] cut = {false};
    // Every message goes out as a task on the socket's context, so writes keep the order they were made in,
    // whichever thread made them.
    Consumer<String> out = msg -> ctx.runOnContext(v -> send(ws, who, cut, msg));
    JobSubscriptions subs = new JobSubscriptions(who, out);
    Runnable stop = watch.listen(subs::event);
    ws.closeHandler(v -> stop.run());
    ws.exceptionHandler(e -> log.debug("job socket error {}", kv("error", e.toString())));
    ws.textMessageHandler(text -> {
      JsonObject msg;
      try {
        msg = new JsonObject(text);
      } catch (RuntimeException e) {
        out.accept(JobSubscriptions.error("send JSON such as {\"subscribe\": 42} or {\"subscribe\": \"mine\"}"));
        return;
      }
      Object sub = msg.getValue("subscribe");
      Object unsub = msg.getValue("unsubscribe");
      if ("mine".equals(sub)) {
        subs.mine(true);
      } else if ("mine".equals(unsub)) {
        subs.mine(false);
      } else if (sub instanceof Number n) {
        long id = n.longValue();
        // Listening (begin) before reading: a change between the read and the subscription cannot be missed.
        if (subs.begin(id)) store.get(id).onComplete(ar -> subs.read(id, ar.succeeded() ? ar.result().orElse(null) : null));
      } else if (unsub instanceof Number n) {
        subs.unsubscribe(n.longValue());
      } else {
        out.accept(JobSubscriptions.error("expected {\"subscribe\": <job id> | \"mine\"} or {\"unsubscribe\": ...}"));
      }
    });
  }

  /** On the socket's context. A full write queue means the client stopped reading: it is cut off, not queued for. */
  private static void send(ServerWebSocket ws, Principal who, boolean[] cut, String msg) {
    if (cut[0] || ws.isClosed()) return;
    if (ws.writeQueueFull()) {
      cut[0] = true;
      log.info("job socket closed, client not reading {}", kv("subject", who.subject()));
      ws.close(TOO_SLOW, TOO_SLOW_REASON);
      return;
    }
    ws.writeTextMessage(msg);
  }
}
