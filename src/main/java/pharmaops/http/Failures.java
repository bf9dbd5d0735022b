package pharmaops.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** Turns every failure into {@code application/problem+json}; unexpected ones are logged with the request id. */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  public static final String PROBLEM_JSON = "application/problem+json";

  private Failures() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    Problem problem;
    if (failure instanceof Problem p) {
      problem = p;
    } else if (failure instanceof DecodeException e) {
      problem = Problem.badRequest("Malformed JSON: " + firstLine(e.getMessage()));
    } else if (failure instanceof HttpException e) {
      problem = forStatus(e.getStatusCode(), e.getPayload());
    } else if (failure == null && status >= 400) {
      problem = forStatus(status, null);
    } else {
      log.error("unhandled failure {} {} {}", kv("requestId", RequestLog.id(ctx)), kv("method", ctx.request().method()),
          kv("path", ctx.normalizedPath()), failure);
      problem = new Problem(500, "Internal error",
          "The server failed to handle this request; quote request id " + RequestLog.id(ctx) + " when reporting it.");
    }
    if (problem.status() >= 400 && problem.status() < 500 && problem.status() != 401 && problem.status() != 404) {
      log.info("rejected request {} {} {} {}", kv("requestId", RequestLog.id(ctx)), kv("status", problem.status()),
          kv("path", ctx.normalizedPath()), kv("detail", problem.detail()));
    }
    write(ctx, problem);
  }

  /** Writes a problem document unless a response is already on its way (then the connection is closed). */
  public static void write(RoutingContext ctx, Problem problem) {
    var resp = ctx.response();
    if (resp.headWritten()) {
      if (!resp.ended()) resp.reset();
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("instance", ctx.request().path())
        .put("requestId", RequestLog.id(ctx));
    if (problem.extra() != null) body.mergeIn(problem.extra());
    if (problem.status() == 401) resp.putHeader("WWW-Authenticate", "Bearer realm=\"pharmaops\"");
    resp.setStatusCode(problem.status()).putHeader("Content-Type", PROBLEM_JSON).end(body.toBuffer());
  }

  private static Problem forStatus(int status, String payload) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String detail = switch (status) {
      case 404 -> "No resource at this path.";
      case 405 -> "This path does not accept that HTTP method.";
      case 413 -> "The request body is larger than this server accepts.";
      case 415 -> "Send the body as application/json.";
      default -> payload != null ? payload : reason;
    };
    return new Problem(status, reason, detail);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
