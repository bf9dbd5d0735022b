package pharmaops.search;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Role;
import pharmaops.http.Auth;
import pharmaops.http.Params;

/** {@code GET /api/v1/bulas} and {@code GET /api/v1/bulas/{id}}, for attendants (and admins). */
final class SearchRoutes {
  private final BulaSearch search;
  private final SearchConfig config;

  SearchRoutes(BulaSearch search, SearchConfig config) {
    this.search = search;
    this.config = config;
  }

  void mount(Router api, Auth auth) {
    api.get("/bulas").handler(auth.require(Role.ATTENDANT)).handler(this::search);
    api.get("/bulas/:id").handler(auth.require(Role.ATTENDANT)).handler(this::leaflet);
  }

  private void search(RoutingContext ctx) {
    SearchQuery q = SearchQuery.parse(ctx.request()::getParam, config, Auth.principal(ctx).isAdmin());
    search.search(q).onSuccess(body -> json(ctx, body)).onFailure(ctx::fail);
  }

  private void leaflet(RoutingContext ctx) {
    long id = Params.longPath(ctx, "id");
    search.leaflet(id).onSuccess(body -> json(ctx, body)).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }
}
