package pharmaops.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web page: static files from {@code webroot/} in the jar, served at {@code /} without a token (the
 * page asks for one and sends it to the API itself). File names carry no content hash, so browsers must
 * revalidate every time ({@code no-cache}); Last-Modified makes that a cheap 304.
 */
final class WebUi {
  /** Scripts and styles only from this origin (no inline code), API and WebSocket calls only back here. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private WebUi() {}

  /** Mounted last; {@code /api} and {@code /ws} paths never reach the file handler (no disk lookups for them). */
  static void mount(Router root) {
    StaticHandler files = StaticHandler.create("webroot")
        .setCachingEnabled(true)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html");
    root.routeWithRegex("/(?!api/|ws/).*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(WebUi::headers).handler(files);
  }

  private static void headers(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      var h = ctx.response().headers();
      h.set("Content-Security-Policy", CSP);
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      h.set("X-Frame-Options", "DENY");
      if (ctx.response().getStatusCode() < 400) h.set("Cache-Control", "no-cache");
    });
    ctx.next();
  }
}
