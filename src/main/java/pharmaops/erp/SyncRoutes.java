package pharmaops.erp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.platform.Platform;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/sync}: ERP sources with breaker, cursor and last outcome; the runs log; manual runs. Admin
 * only: these are operations endpoints.
 */
final class SyncRoutes {
  private final Platform platform;
  private final ErpConfig config;
  private final SyncStore store;
  private final SyncJobs jobs;

  SyncRoutes(Platform platform, ErpConfig config, SyncJobs jobs) {
    this.platform = platform;
    this.config = config;
    this.store = new SyncStore(platform.pool());
    this.jobs = jobs;
  }

  void mount(Router api, Auth auth) {
    api.get("/sync/sources").handler(auth.require(Role.ADMIN)).handler(this::sources);
    api.get("/sync/runs").handler(auth.require(Role.ADMIN)).handler(this::runs);
    api.get("/sync/runs/:id").handler(auth.require(Role.ADMIN)).handler(this::run);
    api.post("/sync/runs").handler(auth.require(Role.ADMIN)).handler(this::trigger);
  }

  private void sources(RoutingContext ctx) {
    List<String> names = config.sources().stream().map(ErpConfig.Source::name).toList();
    JsonArray described = platform.breakers().describe();
    store.sources(names).onFailure(ctx::fail).onSuccess(state -> {
      JsonArray items = new JsonArray();
      for (ErpConfig.Source s : config.sources()) {
        JsonObject st = state.getOrDefault(s.name(), new JsonObject());
        JsonObject breaker = new JsonObject().put("state", "CLOSED").put("failures", 0);
        for (Object o : described) {
          JsonObject b = (JsonObject) o;
          if (b.getString("name").equals(SyncRunner.breakerName(s.name()))) {
            breaker = new JsonObject().put("state", b.getString("state")).put("failures", b.getLong("failures"));
          }
        }
        items.add(new JsonObject().put("name", s.name()).put("kind", s.kind()).put("baseUrl", s.baseUrl())
            .put("schedule", s.schedule()).put("priority", s.priority()).put("breaker", breaker)
            .put("lastRun", st.getJsonObject("lastRun")).put("cursor", st.getString("cursor"))
            .put("lastSuccessAt", st.getString("lastSuccessAt")).put("lastFullAt", st.getString("lastFullAt"))
            .put("running", st.getLong("runningRun") != null));
      }
      ctx.json(new JsonObject().put("items", items));
    });
  }

  private void runs(RoutingContext ctx) {
    int size = Params.intQuery(ctx, "size", 20, 1, 100);
    Long cursor = Params.cursorQuery(ctx);
    long before = cursor == null ? Long.MAX_VALUE : cursor;
    store.listRuns(before, size).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void run(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    store.getRun(id).onFailure(ctx::fail).onSuccess(r -> {
      if (r.isEmpty()) ctx.fail(Problem.notFound("No sync run " + id + "."));
      else ctx.json(r.get());
    });
  }

  private void trigger(RoutingContext ctx) {
    JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : Params.jsonBody(ctx);
    Object full = body.getValue("full");
    if (full != null && !(full instanceof Boolean)) throw Problem.badRequest("Field 'full' must be true or false.");
    Set<String> known = config.sources().stream().map(ErpConfig.Source::name).collect(Collectors.toSet());
    if (known.isEmpty()) throw Problem.conflict("No ERP sources are configured (erp.sources in conf/config.json).");
    List<String> sources = Params.stringsFrom(body, "sources", known, false);
    jobs.trigger(Boolean.TRUE.equals(full), sources, Auth.principal(ctx).subject())
        .onSuccess(run -> {
          ctx.response().setStatusCode(202).putHeader("Location", "/api/v1/sync/runs/" + run.getLong("id"));
          ctx.json(run);
        })
        .onFailure(e -> ctx.fail(Problem.unavailable("The sync run could not be queued: " + e.getMessage())));
  }
}
