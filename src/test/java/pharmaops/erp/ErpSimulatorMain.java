package pharmaops.erp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import pharmaops.support.FakeHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The demo's three ERPs on fixed ports of 127.0.0.1, the ones {@code conf/erp-demo.json} names (started by
 * {@code bench/erp/demo.sh}): matriz (json, 18081) serves every product, filial (xml, 18082) the first two
 * thirds and legado (csv, 18083) the last two, each with its own presentation text, so a sync shows merging and
 * precedence. With {@code ../shared/data} (or {@code SHARED_DATA}) the products are real ANVISA medicines with
 * CMED EANs, defects included; without it they are generated, and a warning says so. Each ERP takes
 * {@code PUT /_faults} to slow or break it live ({@link #controllable}). Runs until stopped.
 * Usage: ErpSimulatorMain [products=3000]
 */
public final class ErpSimulatorMain {
  private static final Logger log = LoggerFactory.getLogger(ErpSimulatorMain.class);
  static final int JSON_PORT = 18081;
  static final int XML_PORT = 18082;
  static final int CSV_PORT = 18083;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    Path data = SimCatalogue.sharedData();
    List<SimProduct> products;
    if (data != null) {
      products = SimCatalogue.fromSharedData(data, n);
    } else {
      log.warn("no ANVISA/CMED files in ../shared/data (set SHARED_DATA to their folder): serving {} generated products", n);
      products = SimCatalogue.synthetic(n, 100_000_000L, 1);
    }
    int third = products.size() / 3;
    Vertx vertx = Vertx.vertx();
    controllable(new ErpSimulator(vertx, "json", products)).listen(JSON_PORT);
    controllable(new ErpSimulator(vertx, "xml", products.subList(0, products.size() - third)).variant(" (filial)")).listen(XML_PORT);
    controllable(new ErpSimulator(vertx, "csv", products.subList(third, products.size())).variant(" (legado)")).listen(CSV_PORT);
    log.info("demo ERPs listening {} {} {} {} {}", kv("products", products.size()), kv("real", data != null),
        kv("json", JSON_PORT), kv("xml", XML_PORT), kv("csv", CSV_PORT));
  }

  /**
   * {@code GET|PUT /_faults} on the ERP's port, answered before its faults apply (a "down" ERP still takes this):
   * a demo user breaks or slows one ERP while the server runs and watches its breaker, retries and outcome.
   * Fields: latencyMs, errorRate (0..1), errorStatus, resetRate (0..1), down, hang; omitted ones keep their value.
   */
  static ErpSimulator controllable(ErpSimulator erp) {
    erp.router().get("/_faults").order(-2).handler(ctx -> ctx.json(json(erp.faults())));
    erp.router().put("/_faults").order(-1).handler(ctx -> ctx.request().body().onSuccess(body -> {
      try {
        JsonObject in = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        var f = erp.faults();
        erp.faults(new FakeHttpServer.Faults(in.getLong("latencyMs", f.latencyMs()), in.getDouble("errorRate", f.errorRate()),
            in.getInteger("errorStatus", f.errorStatus()), in.getDouble("resetRate", f.resetRate()),
            in.getBoolean("down", f.down()), in.getBoolean("hang", f.hang())));
        log.info("demo ERP faults changed {} {}", kv("port", erp.port()), kv("faults", erp.faults()));
        ctx.json(json(erp.faults()));
      } catch (RuntimeException e) {
        ctx.response().setStatusCode(400).end("expected JSON such as {\"down\": true} or {\"latencyMs\": 2000, \"errorRate\": 0.3}: " + e.getMessage());
      }
    }));
    return erp;
  }

  private static JsonObject json(FakeHttpServer.Faults f) {
    return new JsonObject().put("latencyMs", f.latencyMs()).put("errorRate", f.errorRate()).put("errorStatus", f.errorStatus())
        .put("resetRate", f.resetRate()).put("down", f.down()).put("hang", f.hang());
  }

  private ErpSimulatorMain() {}
}
