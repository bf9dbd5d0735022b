package pharmaops.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.http.Auth;
import pharmaops.http.Params;
import pharmaops.http.Problem;
import pharmaops.http.Routes;

import java.util.regex.Pattern;

/**
 * {@code POST /tokens}, {@code GET /tokens}, {@code DELETE /tokens/{id}} (admin) and {@code GET /me}
 * (any valid token: lets a front end check a token and learn its roles).
 */
public final class TokenRoutes implements Routes {
  private static final Pattern SUBJECT = Pattern.compile("[\\p{L}\\p{N} ._@+:/-]{1,200}");
  private final TokenService tokens;

  public TokenRoutes(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    api.post("/tokens").handler(auth.require(Role.ADMIN)).handler(this::create);
    api.get("/tokens").handler(auth.require(Role.ADMIN)).handler(this::list);
    api.delete("/tokens/:id").handler(auth.require(Role.ADMIN)).handler(this::revoke);
    api.get("/me").handler(auth.require(Role.values())).handler(ctx -> {
      Principal p = Auth.principal(ctx);
      ctx.json(new JsonObject().put("subject", p.subject())
          .put("roles", p.roles().stream().map(Role::wire).sorted().toList()));
    });
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Params.jsonBody(ctx);
    String subject = Params.requiredString(body, "subject", 200);
    if (!SUBJECT.matcher(subject).matches()) {
      throw Problem.badRequest("Field 'subject' may hold letters, digits, spaces and . _ @ + : / - only.");
    }
    var roles = TokenService.roles(Params.stringsFrom(body, "roles", Role.wireNames(), true));
    Integer days = Params.optionalInt(body, "expiresInDays", 1, 3650);
    tokens.create(subject, roles, days, Auth.principal(ctx).subject())
        .onSuccess(created -> ctx.response().setStatusCode(201)
            .putHeader("Location", "/api/v1/tokens/" + created.getString("id"))
            .putHeader("Content-Type", "application/json").end(created.toBuffer()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    boolean all = Params.boolQuery(ctx, "includeRevoked", false);
    tokens.list(all).onSuccess(items -> ctx.json(new JsonObject().put("items", items))).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    var id = Params.uuidPath(ctx, "id");
    tokens.revoke(id).onSuccess(found -> {
      if (found) ctx.response().setStatusCode(204).end();
      else ctx.fail(Problem.notFound("No token with id " + id + "."));
    }).onFailure(ctx::fail);
  }
}
