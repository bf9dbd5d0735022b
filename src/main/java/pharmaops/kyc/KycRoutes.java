package pharmaops.kyc;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.http.Routes;

/** {@code GET /kyc/runs}, {@code GET /kyc/runs/{id}} and {@code POST /kyc/runs} (trigger a run now): admin only. */
final class KycRoutes implements Routes {
  private final KycRuns runs;

  KycRoutes(KycRuns runs) {
    this.runs = runs;
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    api.get("/kyc/runs").handler(auth.require(Role.ADMIN)).handler(this::list);
    api.get("/kyc/runs/:id").handler(auth.require(Role.ADMIN)).handler(this::get);
    api.post("/kyc/runs").handler(auth.require(Role.ADMIN)).handler(this::trigger);
  }

  private void list(RoutingContext ctx) {
    int size = Params.intQuery(ctx, "size", 20, 1, 200);
    Long before = Params.cursorQuery(ctx);
    runs.list(before, size).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    runs.get(id).onSuccess(run -> {
      if (run.isPresent()) ctx.json(run.get());
      else ctx.fail(Problem.notFound("No KYC run " + id + "."));
    }).onFailure(ctx::fail);
  }

  private void trigger(RoutingContext ctx) {
    runs.trigger(Auth.principal(ctx).subject()).onSuccess(run -> ctx.response().setStatusCode(202)
            .putHeader("Location", "/api/v1/kyc/runs/" + run.getLong("id"))
            .putHeader("Content-Type", "application/json").end(run.toBuffer()))
        .onFailure(ctx::fail);
  }
}
