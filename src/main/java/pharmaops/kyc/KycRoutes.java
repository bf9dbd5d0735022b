package pharmaops.kyc;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.http.Routes;

/**
 * Admin only: {@code GET /kyc/runs}, {@code GET /kyc/runs/{id}}, {@code POST /kyc/runs} (trigger a run now),
 * {@code GET /kyc/reviews} (reminders whose outcome is unknown) and {@code POST /kyc/reviews/{id}/resolve}.
 */
final class KycRoutes implements Routes {
  private final KycRuns runs;
  private final KycReviews reviews;

  KycRoutes(KycRuns runs, KycReviews reviews) {
    this.runs = runs;
    this.reviews = reviews;
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    api.get("/kyc/runs").handler(auth.require(Role.ADMIN)).handler(this::list);
    api.get("/kyc/runs/:id").handler(auth.require(Role.ADMIN)).handler(this::get);
    api.post("/kyc/runs").handler(auth.require(Role.ADMIN)).handler(this::trigger);
    api.get("/kyc/reviews").handler(auth.require(Role.ADMIN)).handler(this::reviews);
    api.post("/kyc/reviews/:id/resolve").handler(auth.require(Role.ADMIN)).handler(this::resolve);
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

  private void reviews(RoutingContext ctx) {
    int size = Params.intQuery(ctx, "size", 50, 1, 500);
    Long after = Params.cursorQuery(ctx);
    reviews.list(after, size).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** Body {@code {"resolution": "sent" | "resend"}}; 404 for no such reminder, 409 when it is not in review. */
  private void resolve(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    String raw = Params.requiredString(Params.jsonBody(ctx), "resolution", 20);
    KycReviews.Resolution resolution = KycReviews.Resolution.of(raw).orElseThrow(() -> Problem.badRequest(
        "Field 'resolution' must be 'sent' (the customer got it) or 'resend' (send it again), got '" + Params.clip(raw) + "'."));
    reviews.resolve(id, resolution, Auth.principal(ctx).subject()).onSuccess(r -> {
      if (r instanceof KycReviews.Result.Resolved ok) ctx.json(ok.view());
      else if (r instanceof KycReviews.Result.NotInReview n) ctx.fail(Problem.conflict("Reminder " + id + " is "
          + n.state() + ", not in review; only a reminder in review can be resolved."));
      else ctx.fail(Problem.notFound("No KYC reminder " + id + "."));
    }).onFailure(ctx::fail);
  }
}
