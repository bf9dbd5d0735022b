package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.ConnectException;

/**
 * Reminders POSTed as JSON to a webhook (a messaging gateway, the CRM). The receiving endpoint must honour the
 * {@code Idempotency-Key} header (answer a repeated key without acting again); that is what makes a resend after
 * an unknown outcome safe.
 */
public final class WebhookNotifier implements Notifier {
  private final WebClient client;
  private final KycConfig.Webhook cfg;

  /** @param connections as many as reminder jobs may run at once, so no job waits for a connection */
  public WebhookNotifier(Vertx vertx, KycConfig.Webhook cfg, int connections) {
    this.cfg = cfg;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(Math.min(cfg.timeoutMs(), 5_000))
        .setKeepAlive(true).setUserAgent("pharmaops-kyc"), new PoolOptions().setHttp1MaxSize(connections));
  }

  @Override
  public String channel() {
    return "webhook";
  }

  @Override
  public boolean resendIsIdempotent() {
    return true;
  }

  @Override
  public Future<Void> send(Reminder r) {
    JsonObject body = new JsonObject().put("type", "kyc.reminder").put("customerId", r.customerId())
        .put("email", r.email()).put("name", r.name()).put("period", r.period())
        .put("documents", new JsonArray(r.documents())).put("text", Texts.reminderBody(r));
    var req = client.postAbs(cfg.url()).timeout(cfg.timeoutMs()).putHeader("Idempotency-Key", r.idempotencyKey());
    cfg.token().ifPresent(t -> req.putHeader("Authorization", "Bearer " + t));
    return req.sendJsonObject(body).transform(ar -> {
      if (ar.failed()) {
        // Refused connection: nothing was sent. Timeout or reset: the receiver may have acted.
        boolean notDelivered = ar.cause() instanceof ConnectException;
        return Future.failedFuture(new DeliveryException("webhook: " + ar.cause(), notDelivered, ar.cause()));
      }
      int status = ar.result().statusCode();
      if (status >= 200 && status < 300) return Future.succeededFuture();
      // An error status is the receiver saying it did not act; retrying with the same key is safe either way.
      return Future.failedFuture(new DeliveryException("webhook answered " + status, true, null));
    });
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
