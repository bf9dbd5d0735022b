package pharmaops.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import pharmaops.auth.Principal;
import pharmaops.auth.Role;
import pharmaops.auth.TokenService;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Bearer-token authorisation. 401 when the token is missing, malformed, unknown or revoked; 403 when it
 * is valid but carries none of the roles the route accepts (admin passes everywhere).
 */
public final class Auth {
  public static final String PRINCIPAL = "principal";
  private final TokenService tokens;

  public Auth(TokenService tokens) {
    this.tokens = tokens;
  }

  /** A handler that lets the request through only for a token holding one of {@code anyOf}. */
  public Handler<RoutingContext> require(Role... anyOf) {
    return ctx -> check(ctx, bearer(ctx), anyOf);
  }

  /**
   * Same, for WebSocket upgrades: browsers cannot set headers on a WebSocket, so the token may also come as
   * the {@code access_token} query parameter there (and only there). The request is paused while the token is
   * checked asynchronously: an upgrade needs a request that has not been read to its end yet.
   */
  public Handler<RoutingContext> requireForWebSocket(Role... anyOf) {
    return ctx -> {
      ctx.request().pause();
      String token = bearer(ctx);
      if (token == null) token = ctx.request().getParam("access_token");
      check(ctx, token, anyOf);
    };
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  private void check(RoutingContext ctx, String token, Role[] anyOf) {
    if (token == null || token.isBlank()) {
      ctx.fail(new Problem(401, "Unauthorized", "Send an API token as 'Authorization: Bearer <token>'."));
      return;
    }
    if (token.length() > 512) {
      ctx.fail(new Problem(401, "Unauthorized", "The token is not valid."));
      return;
    }
    tokens.verify(token).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Problem.unavailable("Cannot verify the token right now; try again shortly."));
      } else if (ar.result() == null) {
        ctx.fail(new Problem(401, "Unauthorized", "The token is unknown, revoked or expired."));
      } else if (!ar.result().mayActAs(anyOf)) {
        ctx.fail(Problem.forbidden("This needs one of the roles "
            + Arrays.stream(anyOf).map(Role::wire).collect(Collectors.joining(", ")) + "; the token has "
            + ar.result().roles().stream().map(Role::wire).sorted().collect(Collectors.joining(", ")) + "."));
      } else {
        ctx.put(PRINCIPAL, ar.result());
        ctx.next();
      }
    });
  }

  private static String bearer(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    if (h == null) return null;
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).trim();
    return "";
  }
}
