package pharmaops.scraping;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import pharmaops.support.FakeHttpServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An organiser's site: boards at any path, each in a layout (a dated table, cards, or a custom list for
 * the CSS kind), newest first, paginated with {@code ?page=N}, with an ETag and Last-Modified that change
 * when the board changes (conditional GETs get 304), a robots.txt, and faults per board: slow pages and a
 * number of failures (e.g. 429 with Retry-After) before it answers; redirects; pages sent in chunks without a
 * length. It records every request's arrival time per path, the most requests it had in flight at once, the
 * bytes it sent, and when each post was first served, for the benchmark.
 */
public class FakeOrganiserSite extends FakeHttpServer {
  public enum Layout { TABLE, CARDS, LIST }

  public record Post(String title, String body, String date, String link) {}

  /** One board's state. Mutations change its version, hence its ETag. */
  public static final class Board {
    final Layout layout;
    final List<Post> posts = new CopyOnWriteArrayList<>();
    final AtomicInteger version = new AtomicInteger();
    volatile int pageSize = 10;
    volatile long latencyMs;
    volatile String rawHtml;
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile int failStatus = 503;
    volatile String retryAfter;
    volatile boolean chunked;

    Board(Layout layout) {
      this.layout = layout;
    }
  }

  private final Map<String, Board> boards = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
  private final Map<String, Long> firstServed = new ConcurrentHashMap<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicInteger notModified = new AtomicInteger();
  private final AtomicInteger fullPages = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Map<String, String[]> redirects = new ConcurrentHashMap<>();
  private volatile String robots = "User-agent: *\nDisallow: /private\n";

  public FakeOrganiserSite(Vertx vertx) {
    super(vertx);
    router().route().order(-1).handler(ctx -> {
      arrivals.computeIfAbsent(ctx.request().path(), p -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      ctx.addEndHandler(v -> inFlight.decrementAndGet());
      ctx.next();
    });
    router().get("/robots.txt").handler(ctx -> send(ctx, 200, robots, "text/plain"));
    router().get("/*").handler(this::board);
  }

  public Board board(String path, Layout layout) {
    return boards.computeIfAbsent(path, p -> new Board(layout));
  }

  /** Adds a post on top of the board (newest first). */
  public void post(String path, Post p) {
    Board b = boards.get(path);
    b.posts.add(0, p);
    b.version.incrementAndGet();
  }

  /** Replaces the board's page with this HTML (for odd or broken markup). */
  public void raw(String path, String html) {
    Board b = board(path, Layout.LIST);
    b.rawHtml = html;
    b.version.incrementAndGet();
  }

  public void slow(String path, long ms) {
    boards.get(path).latencyMs = ms;
  }

  /** The next {@code n} requests of the board fail with {@code status} (and Retry-After when not null). */
  public void fail(String path, int n, int status, String retryAfter) {
    Board b = boards.get(path);
    b.failStatus = status;
    b.retryAfter = retryAfter;
    b.failuresLeft.set(n);
  }

  /** Answers {@code path} with a redirect to {@code location} (as sent: relative or absolute). */
  public void redirect(String path, int status, String location) {
    redirects.put(path, new String[] {String.valueOf(status), location});
  }

  /** The board's pages go out in chunks, without a Content-Length. */
  public void chunked(String path) {
    boards.get(path).chunked = true;
  }

  /** The most requests this site was answering at one time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  public void robots(String text) {
    robots = text;
  }

  public List<Long> arrivals(String path) {
    return arrivals.getOrDefault(path, List.of());
  }

  /** System.nanoTime() when a page holding this title was first served, or null. */
  public Long firstServed(String title) {
    return firstServed.get(title);
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  public int notModified() {
    return notModified.get();
  }

  /** Board pages answered with a body (200), as opposed to 304s. */
  public int fullPages() {
    return fullPages.get();
  }

  private void board(RoutingContext ctx) {
    String[] moved = redirects.get(ctx.request().path());
    if (moved != null) {
      ctx.response().setStatusCode(Integer.parseInt(moved[0])).putHeader("Location", moved[1]).end();
      return;
    }
    Board b = boards.get(ctx.request().path());
    if (b == null) {
      send(ctx, 404, "<html><body>não encontrado</body></html>", "text/html");
      return;
    }
    Runnable go = () -> {
      if (b.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        if (b.retryAfter != null) ctx.response().putHeader("Retry-After", b.retryAfter);
        send(ctx, b.failStatus, "busy", "text/plain");
        return;
      }
      int page = Math.max(1, parseInt(ctx.request().getParam("page")));
      String etag = "\"v" + b.version.get() + "-p" + page + "\"";
      if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
        notModified.incrementAndGet();
        ctx.response().putHeader("ETag", etag);
        send(ctx, 304, "", null);
        return;
      }
      String html = b.rawHtml != null ? b.rawHtml : render(ctx.request().path(), b, page);
      fullPages.incrementAndGet();
      ctx.response().putHeader("ETag", etag).putHeader("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT");
      if (b.chunked) sendChunked(ctx, html);
      else send(ctx, 200, html, "text/html; charset=utf-8");
    };
    if (b.latencyMs > 0) vertx.setTimer(b.latencyMs, t -> go.run());
    else go.run();
  }

  private String render(String path, Board b, int page) {
    List<Post> all = new ArrayList<>(b.posts);
    int from = (page - 1) * b.pageSize;
    List<Post> shown = from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(), from + b.pageSize));
    long now = System.nanoTime();
    for (Post p : shown) firstServed.putIfAbsent(p.title(), now);
    StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=utf-8><title>Gincana</title></head><body>");
    sb.append("<nav><a href=\"/\">Início</a></nav>");
    switch (b.layout) {
      case TABLE -> {
        sb.append("<table class=tarefas><thead><tr><th>Data</th><th>Tarefa</th><th>Pontos</th></tr></thead><tbody>");
        for (Post p : shown) {
          sb.append("<tr><td>").append(p.date()).append("</td><td><a href=\"").append(p.link()).append("\">")
              .append(p.title()).append("</a></td><td>").append(p.body()).append("</td></tr>");
        }
        sb.append("</tbody></table>");
      }
      case CARDS -> {
        for (Post p : shown) {
          sb.append("<article class=post><h2><a href=\"").append(p.link()).append("\">").append(p.title())
              .append("</a></h2><time>").append(p.date()).append("</time><p>").append(p.body()).append("</p></article>");
        }
      }
      case LIST -> {
        sb.append("<ul class=avisos>");
        for (Post p : shown) {
          sb.append("<li class=aviso><span class=t>").append(p.title()).append("</span><span class=quando>").append(p.date())
              .append("</span><div class=txt>").append(p.body()).append("</div><a class=mais href=\"").append(p.link())
              .append("\">mais</a></li>");
        }
        sb.append("</ul>");
      }
    }
    if (from + b.pageSize < all.size()) sb.append("<a class=next href=\"").append(path).append("?page=").append(page + 1).append("\">Próxima »</a>");
    return sb.append("</body></html>").toString();
  }

  private void send(RoutingContext ctx, int status, String body, String type) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var resp = ctx.response().setStatusCode(status);
    if (type != null) resp.putHeader("Content-Type", type);
    long headerBytes = 17;
    for (var h : resp.headers()) headerBytes += h.getKey().length() + h.getValue().length() + 4;
    bytesSent.addAndGet(headerBytes + bytes.length);
    resp.end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  private void sendChunked(RoutingContext ctx, String html) {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    var resp = ctx.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/html; charset=utf-8");
    int step = Math.max(1, bytes.length / 10);
    for (int i = 0; i < bytes.length; i += step) {
      resp.write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + step))));
    }
    bytesSent.addAndGet(bytes.length);
    resp.end();
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 1 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
