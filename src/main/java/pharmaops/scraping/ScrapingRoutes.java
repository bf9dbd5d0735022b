package pharmaops.scraping;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /scraping/sources} (attendant); {@code POST /scraping/sources}, {@code PUT} and {@code DELETE
 * /scraping/sources/{id}} (DELETE disables: the history stays) and {@code POST /scraping/sources/{id}/scrape}
 * (admin); {@code GET /scraping/items} (attendant) and the WebSocket {@code /ws/scraping} that pushes every
 * {@code scraping.item.new} to attendants. Configured sources change in the configuration only.
 */
final class ScrapingRoutes {
  private final ScrapingService service;

  ScrapingRoutes(ScrapingService service) {
    this.service = service;
  }

  void mount(Router api, Router root, Auth auth) {
    api.get("/scraping/sources").handler(auth.require(Role.ATTENDANT)).handler(ctx ->
        service.sources().list(service::breakerState).onSuccess(items -> ctx.json(new JsonObject().put("items", items))).onFailure(ctx::fail));
    api.get("/scraping/sources/:id").handler(auth.require(Role.ATTENDANT)).handler(ctx -> {
      long id = Params.longPath(ctx, "id");
      service.sources().describe(id, service::breakerState).onSuccess(one -> {
        if (one.isPresent()) ctx.json(one.get());
        else ctx.fail(Problem.notFound("No scraping source with id " + id + "."));
      }).onFailure(ctx::fail);
    });
    api.post("/scraping/sources").handler(auth.require(Role.ADMIN)).handler(this::create);
    api.put("/scraping/sources/:id").handler(auth.require(Role.ADMIN)).handler(this::update);
    api.delete("/scraping/sources/:id").handler(auth.require(Role.ADMIN)).handler(this::disable);
    api.post("/scraping/sources/:id/scrape").handler(auth.require(Role.ADMIN)).handler(this::trigger);
    api.get("/scraping/items").handler(auth.require(Role.ATTENDANT)).handler(this::items);
    root.get("/ws/scraping").handler(auth.requireForWebSocket(Role.ATTENDANT)).handler(this::webSocket);
  }

  private static SourceSpec spec(RoutingContext ctx) {
    JsonObject body = Params.jsonBody(ctx);
    List<String> errors = new ArrayList<>();
    SourceSpec spec = SourceSpec.parse(body, "api", errors);
    if (!errors.isEmpty()) {
      throw new Problem(400, "Bad request", "The source is not valid: " + String.join("; ", errors),
          new JsonObject().put("errors", new JsonArray(errors)));
    }
    return spec;
  }

  private void create(RoutingContext ctx) {
    SourceSpec spec = spec(ctx);
    service.sources().create(spec).onSuccess(id -> {
      if (id.isEmpty()) {
        ctx.fail(Problem.conflict("A source named '" + spec.name() + "' exists already."));
        return;
      }
      ctx.response().setStatusCode(201).putHeader("Location", "/api/v1/scraping/sources/" + id.get())
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("id", id.get()).put("name", spec.name()).put("url", spec.url()).put("kind", spec.kind())
              .put("schedule", spec.schedule()).put("health", "new").putNull("lastRun").toBuffer());
    }).onFailure(ctx::fail);
  }

  /** Replaces the whole spec (the body is what POST takes): 200 with the source, 404, 409. */
  private void update(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    SourceSpec spec = spec(ctx);
    service.sources().update(id, spec).onSuccess(outcome -> {
      if (outcome != SourceStore.Update.UPDATED) {
        ctx.fail(refused(id, outcome, spec.name()));
        return;
      }
      ctx.json(new JsonObject().put("id", id).put("name", spec.name()).put("url", spec.url()).put("kind", spec.kind())
          .put("schedule", spec.schedule()).put("enabled", spec.enabled()));
    }).onFailure(ctx::fail);
  }

  /** Disables the source (no more scheduled runs; items and runs are kept): 204, 404, 409. */
  private void disable(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    service.sources().disable(id).onSuccess(outcome -> {
      if (outcome != SourceStore.Update.UPDATED) {
        ctx.fail(refused(id, outcome, null));
        return;
      }
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private static Problem refused(long id, SourceStore.Update outcome, String name) {
    return switch (outcome) {
      case NOT_FOUND -> Problem.notFound("No scraping source " + id + ".");
      case CONFIGURED -> Problem.conflict("Source " + id + " comes from the configuration (scraping.sources): change it there.");
      default -> Problem.conflict("A source named '" + name + "' exists already.");
    };
  }

  private void trigger(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    service.sources().get(id).onSuccess(source -> {
      if (source.isEmpty()) {
        ctx.fail(Problem.notFound("No scraping source " + id + "."));
        return;
      }
      service.enqueue(id, Auth.principal(ctx).subject()).onSuccess(jobId -> ctx.response().setStatusCode(202)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("sourceId", id).put("jobId", jobId).put("state", "queued").toBuffer())).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private void items(RoutingContext ctx) {
    String q = Params.stringQuery(ctx, "q", 200);
    String sourceRaw = Params.stringQuery(ctx, "source", 20);
    String cursorRaw = Params.stringQuery(ctx, "cursor", 20);
    int size = Params.intQuery(ctx, "size", 50, 1, 200);
    Long source = positive(sourceRaw, "source");
    Long cursor = positive(cursorRaw, "cursor");
    service.items().page(cursor, source, q, size).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.forEach(i -> items.add(i.toJson()));
      String next = page.size() == size ? String.valueOf(page.get(page.size() - 1).id()) : null;
      ctx.json(new JsonObject().put("items", items).put("next", next));
    }).onFailure(ctx::fail);
  }

  private void webSocket(RoutingContext ctx) {
    ctx.request().toWebSocket().onSuccess(ws -> {
      MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().consumer(ScrapingEvents.ITEM_NEW,
          m -> ws.writeTextMessage(m.body().encode()));
      ws.closeHandler(v -> consumer.unregister());
      ws.exceptionHandler(e -> consumer.unregister());
    }).onFailure(e -> { /* the client went away during the handshake */ });
  }

  private static Long positive(String raw, String name) {
    if (raw == null) return null;
    try {
      long v = Long.parseLong(raw);
      if (v > 0) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.badRequest("Query parameter '" + name + "' must be a positive whole number, got '" + Params.clip(raw) + "'.");
  }
}
