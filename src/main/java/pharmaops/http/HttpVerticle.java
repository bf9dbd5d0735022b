package pharmaops.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import pharmaops.platform.Platform;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The HTTP server. Several instances run (one per event loop) and share the port. Health and metrics need
 * no token; everything under {@code /api/v1} is mounted by the capabilities and guarded by {@link Auth}; the
 * web page ({@link WebUi}) is served at {@code /}.
 */
public final class HttpVerticle extends VerticleBase {
  private static final io.vertx.core.buffer.Buffer LIVE = new JsonObject().put("status", "UP").toBuffer();
  private final Platform platform;
  private final Auth auth;
  private final List<Routes> modules;
  private final IntConsumer onListening;
  private final LongSupplier shutdownGraceMs;
  private HttpServer server;

  /** @param shutdownGraceMs read at stop: how long in-flight requests may still run (what the deadline leaves) */
  public HttpVerticle(Platform platform, Auth auth, List<Routes> modules, IntConsumer onListening,
                      LongSupplier shutdownGraceMs) {
    this.platform = platform;
    this.auth = auth;
    this.modules = modules;
    this.onListening = onListening;
    this.shutdownGraceMs = shutdownGraceMs;
  }

  @Override
  public Future<?> start() {
    var cfg = platform.config().http();
    Router root = Router.router(vertx);
    root.route().handler(new RequestLog());

    root.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(LIVE));
    root.get("/health/ready").handler(ctx -> platform.health().ready().onSuccess(body -> ctx.response()
        .setStatusCode("DOWN".equals(body.getString("status")) ? 503 : 200)
        .putHeader("Content-Type", "application/json").end(body.toBuffer())));
    root.get("/metrics").handler(PrometheusScrapingHandler.create(platform.metrics()));

    Router api = Router.router(vertx);
    // Only methods that carry a body pay for the body handler (a cached search is a GET: it would be ~2 % of its cost).
    var body = BodyHandler.create(false).setBodyLimit(cfg.bodyLimitBytes());
    // (A method-bound route would turn every unknown GET path into a 405, hence the test inside one handler.)
    api.route().handler(ctx -> {
      HttpMethod m = ctx.request().method();
      if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) ctx.next();
      else body.handle(ctx);
    });
    for (Routes m : modules) m.mount(api, root, auth);
    root.route("/api/v1/*").subRouter(api);
    WebUi.mount(root);

    for (Router r : List.of(root, api)) {
      r.route().failureHandler(Failures::handle);
      for (int status : new int[] {404, 405, 413, 415, 500}) r.errorHandler(status, Failures::handle);
    }

    server = vertx.createHttpServer(new HttpServerOptions()
        .setIdleTimeout(cfg.idleTimeoutSeconds())
        // The 4-8 kB defaults answer a long query string with a bare 414/431 (HTTP/2: header list); let it reach the handlers,
        // which reject it with a problem document saying what the limit is.
        .setMaxInitialLineLength(32 * 1024)
        .setMaxHeaderSize(32 * 1024)
        .setInitialSettings(new io.vertx.core.http.Http2Settings().setMaxHeaderListSize(32 * 1024))
        .setCompressionSupported(true)
        .setTcpNoDelay(true));
    return server.requestHandler(root).listen(cfg.port(), cfg.host()).onSuccess(s -> onListening.accept(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, then let in-flight requests finish; what is still open when the grace ends (a long poll, a
    // WebSocket) is closed, so the node keeps its shutdown deadline. Vert.x's own default would be 30 s.
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownGraceMs.getAsLong(), TimeUnit.MILLISECONDS);
  }
}
