package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Principal;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.http.Routes;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.JobStore;
import pharmaops.jobs.JobWatch;
import pharmaops.jobs.NewJob;

import java.time.Instant;
import java.util.Locale;

/**
 * {@code /reports}: submit (202 + Location), list own, read ({@code ?wait=} long poll), download ({@code ?gzip=true}
 * or {@code Accept-Encoding: gzip}), cancel or delete. A report of someone else is 404 to anyone but an admin.
 */
final class ReportRoutes implements Routes {
  private final JobQueue queue;
  private final JobStore store;
  private final JobWatch watch;
  private final ReportTypes types;
  private final ReportFiles files;
  private final int maxWait;

  ReportRoutes(JobQueue queue, JobStore store, JobWatch watch, ReportTypes types, ReportFiles files, int maxWait) {
    this.queue = queue;
    this.store = store;
    this.watch = watch;
    this.types = types;
    this.files = files;
    this.maxWait = maxWait;
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    api.get("/reports/types").handler(auth.require(Role.ANALYST)).handler(ctx -> ctx.json(types.json()));
    api.post("/reports").handler(auth.require(Role.ANALYST)).handler(this::create);
    api.get("/reports").handler(auth.require(Role.ANALYST)).handler(this::list);
    api.get("/reports/:id").handler(auth.require(Role.ANALYST)).handler(this::get);
    api.get("/reports/:id/file").handler(auth.require(Role.ANALYST)).handler(this::file);
    api.delete("/reports/:id").handler(auth.require(Role.ANALYST)).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Params.jsonBody(ctx);
    String name = Params.optionalString(body, "type", 50);
    if (name == null) throw Problem.badRequest("Field 'type' is required: one of " + types.names() + ".");
    ReportType type = types.get(name.toLowerCase(Locale.ROOT));
    if (type == null) throw Problem.badRequest("Unknown report type '" + Params.clip(name) + "'; available: " + types.names() + ".");
    Object raw = body.getValue("filters");
    if (raw != null && !(raw instanceof JsonObject)) throw Problem.badRequest("Field 'filters' must be an object of filter values.");
    JsonObject filters = ReportFilters.validate(type, (JsonObject) raw);
    NewJob job = NewJob.of(ExportHandler.TYPE, new JsonObject().put("reportType", type.name()).put("filters", filters))
        .owner(Auth.principal(ctx).subject());
    queue.enqueue(job)
        .compose(id -> store.get(id.orElseThrow()))
        .onSuccess(j -> {
          JsonObject view = ReportView.of(j.orElseThrow());
          ctx.response().setStatusCode(202).putHeader("Location", "/api/v1/reports/" + view.getLong("id"))
              .putHeader("Content-Type", "application/json").end(view.toBuffer());
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Long cursor = Params.cursorQuery(ctx);
    int size = Params.intQuery(ctx, "size", 50, 1, 200);
    store.listOwned(Auth.principal(ctx).subject(), ExportHandler.TYPE, cursor, size).onSuccess(page -> {
      var items = page.getJsonArray("items");
      for (int i = 0; i < items.size(); i++) items.set(i, ReportView.of(items.getJsonObject(i)));
      ctx.json(page);
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    int wait = Params.intQuery(ctx, "wait", 0, 0, maxWait);
    Principal who = Auth.principal(ctx);
    // Listen before reading, so a change between the read and the wait cannot be missed.
    JobWatch.Pending change = wait > 0 ? watch.next(id, e -> ReportView.settled(e.getString("state")), wait * 1000L) : null;
    load(id, who).compose(job -> {
      if (change == null || ReportView.settled(job.getString("state"))) {
        if (change != null) change.cancel().run();
        return Future.succeededFuture(job);
      }
      return change.future().compose(e -> load(id, who));
    }).onSuccess(job -> ctx.json(ReportView.of(job))).onFailure(e -> {
      if (change != null) change.cancel().run();
      ctx.fail(e);
    });
  }

  private void file(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    boolean gzipFile = Params.boolQuery(ctx, "gzip", false);
    boolean gzipEncoding = AcceptEncoding.gzip(ctx.request().getHeader("Accept-Encoding"));
    load(id, Auth.principal(ctx)).compose(job -> {
      String state = job.getString("state");
      if (!"succeeded".equals(state)) {
        return Future.failedFuture(Problem.conflict("Report " + id + " is " + state + "; its file exists once it has succeeded."));
      }
      JsonObject result = job.getJsonObject("result");
      String deletedAt = ReportView.deletedAt(result);
      if (deletedAt != null) return Future.failedFuture(gone("The file of report " + id + " was deleted at " + deletedAt));
      if (ReportView.expired(result)) {
        return Future.failedFuture(gone("The file of report " + id + " expired at " + result.getString("expiresAt")));
      }
      return files.exists(id).compose(ok -> ok ? Future.succeededFuture(job)
          : Future.failedFuture(gone("The file of report " + id + " is no longer kept")));
    }).compose(job -> {
      var resp = ctx.response().putHeader("Vary", "Accept-Encoding")
          .putHeader("Content-Disposition", "attachment; filename=\"report-" + id + ".csv" + (gzipFile ? ".gz\"" : "\""));
      String path = files.finalPath(id).toString();
      if (!gzipFile && !gzipEncoding) return resp.putHeader("Content-Type", "text/csv; charset=utf-8").sendFile(path);
      if (gzipFile) resp.putHeader("Content-Type", "application/gzip");
      else resp.putHeader("Content-Type", "text/csv; charset=utf-8").putHeader("Content-Encoding", "gzip");
      return ctx.vertx().fileSystem().open(path, new OpenOptions().setRead(true)).compose(f -> GzipPump.pump(f, resp));
    }).onFailure(e -> {
      if (!ctx.response().headWritten()) ctx.fail(e);
    });
  }

  private void delete(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    Principal who = Auth.principal(ctx);
    load(id, who).compose(job -> {
      if (ReportView.settled(job.getString("state"))) {
        // Marked first: no view may offer a link to a file that is gone.
        Future<?> mark = "succeeded".equals(job.getString("state"))
            ? store.annotateResult(id, new JsonObject().put("deletedAt", Instant.now().toString())) : Future.succeededFuture();
        return mark.compose(v -> files.delete(id)).onSuccess(v -> ctx.response().setStatusCode(204).end()).mapEmpty();
      }
      return store.cancel(id).compose(c -> load(id, who)).onSuccess(j ->
          ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(ReportView.of(j).toBuffer()));
    }).onFailure(ctx::fail);
  }

  /** The report's job, if it is a report and the caller owns it or is an admin; else 404 (never "forbidden"). */
  private Future<JsonObject> load(long id, Principal who) {
    return store.get(id).compose(j -> {
      JsonObject job = j.orElse(null);
      if (job == null || !ExportHandler.TYPE.equals(job.getString("type"))
          || !(who.isAdmin() || who.subject().equals(job.getString("owner")))) {
        return Future.failedFuture(Problem.notFound("No report " + id + "."));
      }
      return Future.succeededFuture(job);
    });
  }

  private static Problem gone(String why) {
    return new Problem(410, "Gone", why + "; submit the report again.");
  }
}
