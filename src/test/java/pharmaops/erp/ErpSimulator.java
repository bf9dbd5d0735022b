package pharmaops.erp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import pharmaops.support.FakeHttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake ERP of one kind (json, xml or csv) serving a product set the way {@link JsonRestAdapter},
 * {@link XmlFeedAdapter} and {@link CsvExportAdapter} expect, with the faults of {@link FakeHttpServer}
 * (latency, error rate, down, hang, resets) plus per-page faults: a malformed body or a connection reset
 * in the middle of the body, a given number of times. {@link #change} edits a share of the products.
 */
final class ErpSimulator extends FakeHttpServer {
  private final String kind;
  private final List<SimProduct> products;
  private final Map<Integer, AtomicInteger> malformed = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> resets = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final AtomicInteger changes = new AtomicInteger();
  private volatile String variant = "";
  private volatile String token;
  private volatile boolean garbage;
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;
  private HttpServer fixed;

  ErpSimulator(Vertx vertx, String kind, List<SimProduct> products) {
    super(vertx);
    this.kind = kind;
    this.products = new CopyOnWriteArrayList<>(products.stream().map(SimProduct::copy).toList());
    router().route().handler(this::authorise);
    router().route().handler(this::gate);
    switch (kind) {
      case "json" -> router().get("/api/products").handler(this::json);
      case "xml" -> router().get("/nfe/produtos").handler(this::xml);
      case "csv" -> router().get("/export/produtos.csv").handler(this::csv);
      default -> throw new IllegalArgumentException(kind);
    }
  }

  /** Starts on {@code port} of 127.0.0.1 (the demo's fixed ports), instead of a free one as {@link #start()} does. */
  ErpSimulator listen(int port) {
    fixed = vertx.createHttpServer().requestHandler(router()).listen(port, "127.0.0.1").await();
    return this;
  }

  @Override
  public int port() {
    return fixed != null ? fixed.actualPort() : super.port();
  }

  @Override
  public void close() {
    if (fixed != null) fixed.close();
    super.close();
  }

  /** Text appended to every presentation, so records of different ERPs for one product differ. */
  ErpSimulator variant(String v) {
    this.variant = v;
    return this;
  }

  /** Requests must carry {@code Authorization: Bearer <token>}. */
  ErpSimulator requireToken(String t) {
    this.token = t;
    return this;
  }

  /** Adds one unreadable record to the first page (not an object / bad date / wrong field count). */
  ErpSimulator garbage(boolean g) {
    this.garbage = g;
    return this;
  }

  /** The next {@code times} requests of page {@code page} (1-based) get a body that is not a page at all. */
  void malformedPage(int page, int times) {
    malformed.put(page, new AtomicInteger(times));
  }

  /** The next {@code times} requests of page {@code page} are cut off in the middle of the body. */
  void resetPage(int page, int times) {
    resets.put(page, new AtomicInteger(times));
  }

  /** The next {@code times} requests of page {@code page} (1-based) are answered with HTTP 500. */
  void failPage(int page, int times) {
    failures.put(page, new AtomicInteger(times));
  }

  /** Changes the presentation of {@code percent}% of the products (spread evenly) and marks them updated now. */
  int change(double percent) {
    int n = (int) Math.ceil(products.size() * percent / 100.0);
    int step = Math.max(1, products.size() / Math.max(1, n));
    int round = changes.incrementAndGet();
    Instant now = Instant.now();
    for (int i = 0, done = 0; i < products.size() && done < n; i += step, done++) {
      SimProduct p = products.get(i);
      p.presentation = "ALTERADO " + round;
      p.updatedAt = now;
    }
    return n;
  }

  /** Requests from now on wait (unanswered) until {@link #release}: a run is then certainly in the middle of this ERP. */
  synchronized void hold() {
    holding = true;
  }

  synchronized int held() {
    return held.size();
  }

  /** Answers the held requests and stops holding. */
  synchronized void release() {
    holding = false;
    held.forEach(Runnable::run);
    held.clear();
  }

  private void gate(RoutingContext ctx) {
    synchronized (this) {
      if (holding) {
        Context context = Vertx.currentContext();
        held.add(() -> context.runOnContext(v -> ctx.next()));
        return;
      }
    }
    ctx.next();
  }

  List<SimProduct> products() {
    return products;
  }

  private void authorise(RoutingContext ctx) {
    if (token != null && !("Bearer " + token).equals(ctx.request().getHeader("Authorization"))) {
      ctx.response().setStatusCode(401).end("unauthorised");
    } else {
      ctx.next();
    }
  }

  private List<SimProduct> since(Instant since) {
    if (since == null) return products;
    List<SimProduct> out = new ArrayList<>();
    for (SimProduct p : products) if (!p.updatedAt.isBefore(since)) out.add(p);
    return out;
  }

  /** True when a per-page fault answered the request. */
  private boolean pageFault(RoutingContext ctx, int page, String body) {
    AtomicInteger f = failures.get(page);
    if (f != null && f.getAndDecrement() > 0) {
      ctx.response().setStatusCode(500).end("internal error");
      return true;
    }
    AtomicInteger m = malformed.get(page);
    if (m != null && m.getAndDecrement() > 0) {
      ctx.response().putHeader("X-Total-Pages", "1").end(kind.equals("json") ? "{\"items\": [{\"id\": 1, " : "<produtos><prod><xProd>trun");
      return true;
    }
    AtomicInteger r = resets.get(page);
    if (r != null && r.getAndDecrement() > 0) {
      resetMidBody(ctx, body);
      return true;
    }
    return false;
  }

  private void json(RoutingContext ctx) {
    int offset = Integer.parseInt(ctx.request().getParam("offset", "0"));
    int limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
    String since = ctx.request().getParam("modifiedSince");
    List<SimProduct> all = since(since == null ? null : Instant.ofEpochMilli(Long.parseLong(since)));
    JsonArray items = new JsonArray();
    if (garbage && offset == 0) items.add(42);
    for (SimProduct p : all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()))) {
      items.add(new JsonObject().put("id", p.id).put("productName", p.name).put("anvisaCode", p.registration)
          .put("gtins", new JsonArray(p.eans)).put("labName", p.manufacturer).put("labTaxId", p.cnpj)
          .put("substances", String.join(" + ", p.ingredients)).put("regulatoryCategory", p.category)
          .put("therapeuticClass", p.therapeuticClass).put("registrationStatus", p.status)
          .put("packaging", presentation(p)).put("priceCents", 1000 + p.id % 5000).put("modifiedAtMs", p.updatedAt.toEpochMilli()));
    }
    String body = new JsonObject().put("total", all.size()).put("items", items).encode();
    if (!pageFault(ctx, offset / Math.max(1, limit) + 1, body)) ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  private void xml(RoutingContext ctx) {
    int page = Integer.parseInt(ctx.request().getParam("pagina", "1"));
    int size = Integer.parseInt(ctx.request().getParam("tamanho", "100"));
    String since = ctx.request().getParam("alteradoDesde");
    List<SimProduct> all = since(since == null ? null : Instant.parse(since));
    int total = (all.size() + size - 1) / size;
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<produtos pagina=\"")
        .append(page).append("\" totalPaginas=\"").append(total).append("\">\n");
    if (garbage && page == 1) sb.append("<prod><cProd>garbage-1</cProd><xProd>X</xProd><dhAlteracao>ontem</dhAlteracao></prod>\n");
    int from = Math.min((page - 1) * size, all.size());
    for (SimProduct p : all.subList(from, Math.min(from + size, all.size()))) {
      sb.append("<prod><cProd>").append(p.id).append("</cProd>");
      el(sb, "xProd", p.name);
      for (String e : p.eans) el(sb, "cEAN", e);
      el(sb, "registroMS", p.registration);
      if (p.manufacturer != null) sb.append("<fabricante cnpj=\"").append(esc(p.cnpj == null ? "" : p.cnpj)).append("\">").append(esc(p.manufacturer)).append("</fabricante>");
      for (String i : p.ingredients) el(sb, "principioAtivo", i);
      el(sb, "categoria", p.category);
      el(sb, "classe", p.therapeuticClass);
      el(sb, "situacao", p.status);
      el(sb, "apresentacao", presentation(p));
      el(sb, "dhAlteracao", OffsetDateTime.ofInstant(p.updatedAt, ZoneOffset.ofHours(-3)).toString());
      sb.append("</prod>\n");
    }
    String body = sb.append("</produtos>\n").toString();
    if (!pageFault(ctx, page, body)) ctx.response().putHeader("Content-Type", "application/xml; charset=UTF-8").end(body);
  }

  private void csv(RoutingContext ctx) {
    int page = Integer.parseInt(ctx.request().getParam("page", "1"));
    int size = Integer.parseInt(ctx.request().getParam("size", "100"));
    String since = ctx.request().getParam("since");
    List<SimProduct> all = since(since == null ? null
        : LocalDateTime.parse(since, CsvExportAdapter.TIME).atZone(CsvExportAdapter.ZONE).toInstant());
    int total = (all.size() + size - 1) / size;
    StringBuilder sb = new StringBuilder(CsvExportAdapter.HEADER).append("\r\n");
    if (garbage && page == 1) sb.append("garbage;only three;fields\r\n");
    int from = Math.min((page - 1) * size, all.size());
    for (SimProduct p : all.subList(from, Math.min(from + size, all.size()))) {
      String[] f = {Long.toString(p.id), p.name, p.registration, String.join(",", p.eans), p.manufacturer, p.cnpj,
          String.join("+", p.ingredients), p.category, p.therapeuticClass, p.status, presentation(p),
          CsvExportAdapter.TIME.format(p.updatedAt.atZone(CsvExportAdapter.ZONE))};
      for (int i = 0; i < f.length; i++) {
        if (i > 0) sb.append(';');
        String v = f[i] == null ? "" : f[i];
        sb.append(v.contains(";") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      sb.append("\r\n");
    }
    String body = sb.toString();
    if (!pageFault(ctx, page, body)) {
      ctx.response().putHeader("Content-Type", "text/csv; charset=ISO-8859-1").putHeader("X-Total-Pages", Integer.toString(total))
          .end(Buffer.buffer(body.getBytes(StandardCharsets.ISO_8859_1)));
    }
  }

  private String presentation(SimProduct p) {
    String v = (p.presentation == null ? "" : p.presentation) + variant;
    return v.isEmpty() ? null : v;
  }

  private static void el(StringBuilder sb, String tag, String text) {
    if (text == null) return;
    sb.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append('>');
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
