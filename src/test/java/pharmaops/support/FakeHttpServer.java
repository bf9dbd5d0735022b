package pharmaops.support;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A remote system we do not own (ERP, organiser site, Wuzapi, SMTP relay webhook, Slack), as a small HTTP
 * server on 127.0.0.1 with faults that a test or benchmark can change while it runs. Subclasses or callers
 * add routes to {@link #router()}; every request first passes through the current {@link Faults}.
 * Used by tests and by bench/ (which compiles with the test tree).
 */
public class FakeHttpServer implements AutoCloseable {
  /**
   * @param latencyMs   added before answering
   * @param errorRate   0..1: share of requests answered with {@code errorStatus}
   * @param errorStatus status of injected errors (500, 503, 429...)
   * @param resetRate   0..1: share of requests whose connection is closed after half a body
   * @param down        every connection is closed at once, as if nothing listened
   * @param hang        requests are never answered (the client's timeout must fire)
   */
  public record Faults(long latencyMs, double errorRate, int errorStatus, double resetRate, boolean down, boolean hang) {
    public static final Faults NONE = new Faults(0, 0, 500, 0, false, false);

    public Faults latency(long ms) { return new Faults(ms, errorRate, errorStatus, resetRate, down, hang); }
    public Faults errors(double rate, int status) { return new Faults(latencyMs, rate, status, resetRate, down, hang); }
    public Faults resets(double rate) { return new Faults(latencyMs, errorRate, errorStatus, rate, down, hang); }
    public Faults down(boolean d) { return new Faults(latencyMs, errorRate, errorStatus, resetRate, d, hang); }
    public Faults hang(boolean h) { return new Faults(latencyMs, errorRate, errorStatus, resetRate, down, h); }
  }

  protected final Vertx vertx;
  private final Router router;
  private final AtomicReference<Faults> faults = new AtomicReference<>(Faults.NONE);
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  public FakeHttpServer(Vertx vertx) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(16 << 20));
    router.route().handler(this::applyFaults);
  }

  public Router router() {
    return router;
  }

  /** Starts on a free port of 127.0.0.1 and returns this, listening. */
  public FakeHttpServer start() {
    try {
      server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return this;
    } catch (Exception e) {
      throw new IllegalStateException("fake server did not start", e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public void faults(Faults f) {
    faults.set(f);
  }

  public Faults faults() {
    return faults.get();
  }

  /** Requests seen, faulted ones included. */
  public int requests() {
    return requests.get();
  }

  /** Writes half of {@code body} and then closes the connection: a reset in the middle of a response. */
  public static void resetMidBody(RoutingContext ctx, String body) {
    ctx.response().setChunked(true).write(body.substring(0, body.length() / 2));
    vertx(ctx).setTimer(5, t -> ctx.request().connection().close());
  }

  private static Vertx vertx(RoutingContext ctx) {
    return ctx.vertx();
  }

  private void applyFaults(RoutingContext ctx) {
    requests.incrementAndGet();
    Faults f = faults.get();
    if (f.down()) {
      ctx.request().connection().close();
      return;
    }
    if (f.hang()) return;
    Handler<Void> go = v -> {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      if (f.errorRate() > 0 && rnd.nextDouble() < f.errorRate()) {
        ctx.response().setStatusCode(f.errorStatus()).end("injected fault");
      } else if (f.resetRate() > 0 && rnd.nextDouble() < f.resetRate()) {
        resetMidBody(ctx, "{\"partial\": \"" + "x".repeat(2048) + "\"}");
      } else {
        ctx.next();
      }
    };
    if (f.latencyMs() > 0) vertx.setTimer(f.latencyMs(), t -> go.handle(null));
    else go.handle(null);
  }

  @Override
  public void close() {
    if (server != null) server.close();
  }
}
