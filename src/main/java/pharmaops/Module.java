package pharmaops;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import pharmaops.http.Auth;
import pharmaops.http.Routes;

/**
 * A capability as {@link App} sees it: something that starts (verticles, event-bus consumers, schedules),
 * may mount HTTP routes, and stops gracefully in reverse order.
 */
public interface Module extends Routes {
  String name();

  default Future<?> start() {
    return Future.succeededFuture();
  }

  @Override
  default void mount(Router api, Router root, Auth auth) {
    // no routes
  }

  /** Stop taking new work and finish or release what is running; App bounds this by the shutdown deadline. */
  default Future<?> stop() {
    return Future.succeededFuture();
  }
}
