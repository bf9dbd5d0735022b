package pharmaops.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is sane, else a new one), returns it
 * in the response and logs the request when it ends. Successful fast requests log at DEBUG so that the
 * access log does not become the bottleneck of a search served from cache.
 */
public final class RequestLog implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger("pharmaops.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  static final String KEY = "requestId";
  private static final long SLOW_MS = 1_000;

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id = given != null && SANE_ID.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader("X-Request-Id", id);
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      int status = ctx.response().getStatusCode();
      if (status < 400 && ms < SLOW_MS) {
        if (log.isDebugEnabled()) {
          log.debug("request {} {} {} {} {}", kv("requestId", id), kv("method", ctx.request().method()),
              kv("path", ctx.request().path()), kv("status", status), kv("ms", ms));
        }
      } else {
        log.info("request {} {} {} {} {} {}", kv("requestId", id), kv("method", ctx.request().method()),
            kv("path", ctx.request().path()), kv("status", status), kv("ms", ms),
            kv("subject", ctx.get(Auth.PRINCIPAL) == null ? null : ((pharmaops.auth.Principal) ctx.get(Auth.PRINCIPAL)).subject()));
      }
    });
    ctx.next();
  }

  /** 128 random bits as a UUID string: unique enough for correlation, without SecureRandom's lock on every request. */
  private static String newId() {
    var r = ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
