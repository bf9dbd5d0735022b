package pharmaops.http;

import io.vertx.ext.web.Router;

/**
 * What a capability adds to the HTTP API. {@code api} is mounted at {@code /api/v1}; {@code root} is the
 * top-level router (for WebSocket endpoints such as {@code /ws/jobs}). Called once per HTTP verticle
 * instance, so handlers must be stateless or use thread-safe services.
 */
public interface Routes {
  void mount(Router api, Router root, Auth auth);
}
