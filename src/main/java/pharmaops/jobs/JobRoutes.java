package pharmaops.jobs;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.http.Routes;

import java.util.Arrays;

/**
 * Admin API of the queue: {@code GET /jobs?state=&type=&cursor=}, {@code GET /jobs/stats}, {@code GET /jobs/{id}},
 * {@code POST /jobs/{id}/retry} (dead -> queued), {@code DELETE /jobs/{id}} (cancel).
 */
final class JobRoutes implements Routes {
  private final JobStore store;

  JobRoutes(JobStore store) {
    this.store = store;
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    api.get("/jobs").handler(auth.require(Role.ADMIN)).handler(this::list);
    api.get("/jobs/stats").handler(auth.require(Role.ADMIN)).handler(ctx ->
        store.stats().onSuccess(q -> ctx.json(new JsonObject().put("queues", q))).onFailure(ctx::fail));
    api.get("/jobs/:id").handler(auth.require(Role.ADMIN)).handler(ctx -> {
      long id = Params.longPath(ctx, "id");
      store.get(id).onSuccess(j -> {
        if (j.isPresent()) ctx.json(j.get());
        else ctx.fail(Problem.notFound("No job " + id + "."));
      }).onFailure(ctx::fail);
    });
    api.post("/jobs/:id/retry").handler(auth.require(Role.ADMIN)).handler(ctx -> {
      long id = Params.longPath(ctx, "id");
      store.retry(id).onSuccess(c -> respond(ctx, id, c, "retried")).onFailure(ctx::fail);
    });
    api.delete("/jobs/:id").handler(auth.require(Role.ADMIN)).handler(ctx -> {
      long id = Params.longPath(ctx, "id");
      store.cancel(id).onSuccess(c -> respond(ctx, id, c, "cancelled")).onFailure(ctx::fail);
    });
  }

  private void list(RoutingContext ctx) {
    String state = Params.stringQuery(ctx, "state", 20);
    if (state != null && JobState.fromWire(state) == null) {
      throw Problem.badRequest("Query parameter 'state' must be one of "
          + Arrays.stream(JobState.values()).map(JobState::wire).toList() + ", got '" + Params.clip(state) + "'.");
    }
    String type = Params.stringQuery(ctx, "type", 100);
    Long cursor = Params.cursorQuery(ctx);
    int size = Params.intQuery(ctx, "size", 50, 1, 500);
    store.list(state == null ? null : JobState.fromWire(state).wire(), type, cursor, size).onSuccess(ctx::json).onFailure(ctx::fail);
  }


  private static void respond(RoutingContext ctx, long id, JobStore.Change c, String verb) {
    if (c instanceof JobStore.Change.Done d) {
      ctx.response().setStatusCode("running".equals(d.event().getString("state")) ? 202 : 200)
          .putHeader("Content-Type", "application/json").end(d.event().toBuffer());
    } else if (c instanceof JobStore.Change.WrongState w) {
      ctx.fail(Problem.conflict("Job " + id + " is " + w.state() + "; it cannot be " + verb
          + ("retried".equals(verb) ? " (only dead jobs can)." : " (it is over).")));
    } else if (c instanceof JobStore.Change.Duplicate) {
      ctx.fail(Problem.conflict("Job " + id + " cannot be " + verb + ": another live job has the same unique key."));
    } else {
      ctx.fail(Problem.notFound("No job " + id + "."));
    }
  }
}
