package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.http.Problem;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** The search for sister services: request-reply on {@link SearchAddresses}, same answers and errors as HTTP. */
final class SearchBus {
  private static final Logger log = LoggerFactory.getLogger(SearchBus.class);
  private final Vertx vertx;
  private final BulaSearch search;
  private final SearchConfig config;
  private MessageConsumer<JsonObject> bulas;
  private MessageConsumer<JsonObject> bula;

  SearchBus(Vertx vertx, BulaSearch search, SearchConfig config) {
    this.vertx = vertx;
    this.search = search;
    this.config = config;
  }

  Future<Void> start() {
    bulas = vertx.eventBus().consumer(SearchAddresses.BULAS, this::onSearch);
    bula = vertx.eventBus().consumer(SearchAddresses.BULA, this::onLeaflet);
    return Future.all(bulas.completion(), bula.completion()).mapEmpty();
  }

  private void onSearch(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    try {
      // Sister services are trusted callers: they may bypass the cache like admins.
      SearchQuery q = SearchQuery.parse(name -> body.getValue(name) == null ? null : String.valueOf(body.getValue(name)), config, true);
      search.search(q).onSuccess(b -> msg.reply(new JsonObject(b))).onFailure(e -> fail(msg, e));
    } catch (RuntimeException e) {
      fail(msg, e);
    }
  }

  private void onLeaflet(Message<JsonObject> msg) {
    Object id = msg.body() == null ? null : msg.body().getValue("id");
    if (!(id instanceof Number n) || n.longValue() <= 0) {
      msg.fail(400, "Send {\"id\": <positive whole number>}.");
      return;
    }
    search.leaflet(n.longValue()).onSuccess(b -> msg.reply(new JsonObject(b))).onFailure(e -> fail(msg, e));
  }

  private static void fail(Message<?> msg, Throwable e) {
    if (e instanceof Problem p) {
      msg.fail(p.status(), p.detail());
    } else {
      log.error("event-bus search failed {} {}", kv("address", msg.address()), kv("error", e.toString()), e);
      msg.fail(500, "search failed: " + e.getMessage());
    }
  }

  Future<Void> stop() {
    return Future.all(bulas == null ? Future.succeededFuture() : bulas.unregister(),
        bula == null ? Future.succeededFuture() : bula.unregister()).mapEmpty();
  }
}
