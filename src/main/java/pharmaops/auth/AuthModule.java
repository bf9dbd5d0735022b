package pharmaops.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;

/** Token verification for every route, the token API, and the first admin token of a fresh installation. */
public final class AuthModule implements Module {
  private final Platform platform;
  private final TokenService tokens;

  public AuthModule(Platform platform) {
    this.platform = platform;
    var cfg = platform.config().auth();
    this.tokens = new TokenService(platform.vertx(), platform.pool(), cfg.adminToken(), cfg.tokenCacheSeconds());
  }

  public TokenService tokens() {
    return tokens;
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public Future<?> start() {
    return tokens.start().compose(v -> tokens.ensureAdminExists(platform.config().dataDir()));
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new TokenRoutes(tokens).mount(api, root, auth);
  }

  @Override
  public Future<?> stop() {
    return tokens.stop();
  }
}
