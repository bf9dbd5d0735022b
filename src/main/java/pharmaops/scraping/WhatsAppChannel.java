package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * WhatsApp through Wuzapi: {@code POST {base}/chat/send/text}, header {@code Token}, body
 * {@code {"Phone": "5511...", "Body": "...", "Id": "<message id>"}}; only {@code {"success": true}} counts as
 * sent. The Id is ours, fixed per item and recipient (Wuzapi would pick a random one): WhatsApp shows a
 * message sent again under the same Id once. Slow by design (messages per minute): WhatsApp bans numbers
 * that send in bursts.
 */
final class WhatsAppChannel implements Channel {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm").withZone(ZoneId.of("America/Sao_Paulo"));
  private final WebClient client;
  private final String baseUrl;
  private final String token;
  private final double rate;
  private final int timeoutMs;

  WhatsAppChannel(WebClient client, String baseUrl, String token, double ratePerSecond, int timeoutMs) {
    this.client = client;
    this.baseUrl = baseUrl;
    this.token = token;
    this.rate = ratePerSecond;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String type() {
    return "whatsapp";
  }

  @Override
  public double ratePerSecond() {
    return rate;
  }

  @Override
  public Future<Void> send(String recipient, StoredItem item, String sourceName, String messageId) {
    JsonObject body = new JsonObject().put("Phone", recipient).put("Body", text(item, sourceName)).put("Id", messageId);
    return client.postAbs(baseUrl + "/chat/send/text").timeout(timeoutMs).putHeader("Token", token)
        .sendJsonObject(body).compose(resp -> {
          int status = resp.statusCode();
          if (status == 429 || status >= 500) {
            return Future.failedFuture(new FetchException("wuzapi HTTP " + status, status, Fetcher.retryAfter(resp.headers()), true));
          }
          JsonObject json;
          try {
            json = resp.bodyAsJsonObject();
          } catch (RuntimeException e) {
            json = null;
          }
          if (status == 200 && json != null && json.getBoolean("success", false)) return Future.succeededFuture();
          String detail = json == null ? String.valueOf(resp.bodyAsString()) : json.encode();
          return Future.failedFuture(new FetchException("wuzapi refused (HTTP " + status + "): " + Extract.clip(detail, 200), status, 0, true));
        });
  }

  /** The message: source, bold title, body, date and link, within WhatsApp's practical length. */
  static String text(StoredItem item, String sourceName) {
    StringBuilder sb = new StringBuilder();
    sb.append('[').append(sourceName).append("] *").append(item.title()).append('*');
    if (item.body() != null) sb.append('\n').append(item.body());
    if (item.postedAt() != null) sb.append("\n").append(WHEN.format(item.postedAt()));
    if (item.link() != null) sb.append('\n').append(item.link());
    return Extract.clip(sb.toString(), 4000);
  }
}
