package pharmaops.erp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static pharmaops.erp.ErpTestSupport.count;
import static pharmaops.erp.ErpTestSupport.outcome;
import static pharmaops.erp.ErpTestSupport.run;

/**
 * Three ERPs (one of each kind) serving the same real products: ANVISA's medicines list joined with CMED's
 * EANs, real defects included. Skipped when ../shared/data is absent.
 */
class ErpRealDataIT {
  static final int PRODUCTS = 3000;
  static Vertx sims;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    Path data = SimCatalogue.sharedData();
    assumeTrue(data != null, "skipped: ../shared/data/anvisa/medicamentos.csv and cmed/precos_ean.csv are absent (set SHARED_DATA)");
    List<SimProduct> products = SimCatalogue.fromSharedData(data, PRODUCTS);
    sims = Vertx.vertx();
    var json = new ErpSimulator(sims, "json", products).start();
    var xml = new ErpSimulator(sims, "xml", products).start();
    var csv = new ErpSimulator(sims, "csv", products).start();
    app = ErpTestSupport.start(new JsonObject().put("sources", new JsonArray()
        .add(ErpTestSupport.source("matriz", "json", (ErpSimulator) json, 10, 250, 2))
        .add(ErpTestSupport.source("filial", "xml", (ErpSimulator) xml, 20, 250, 2))
        .add(ErpTestSupport.source("legado", "csv", (ErpSimulator) csv, 30, 250, 2))), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) app.close();
    if (sims != null) sims.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void realRecordsMergeIntoOneRowPerProductAndRealDefectsAreQuarantinedNotFatal() {
    JsonObject first = run(app, new JsonObject());
    assertThat(first.getString("state")).isEqualTo("succeeded");
    long inserted = 0;
    for (String s : List.of("matriz", "filial", "legado")) {
      JsonObject o = outcome(first, s);
      assertThat(o.getInteger("fetched")).as(s).isEqualTo(PRODUCTS);
      assertThat(o.getInteger("inserted") + o.getInteger("updated") + o.getInteger("unchanged") + o.getInteger("quarantined"))
          .as(s).isEqualTo(PRODUCTS);
      assertThat(o.getInteger("quarantined")).as(s + ": the real data has bad EANs").isPositive();
      inserted += o.getInteger("inserted");
    }
    assertThat(count(app, "SELECT count(*) FROM bula")).isEqualTo(inserted);
    assertThat(count(app, "SELECT count(*) FROM bula WHERE source <> 'matriz'")).as("the json ERP has precedence").isZero();
    assertThat(count(app, "SELECT count(*) FROM erp_quarantine WHERE reason LIKE 'bad EAN%'")).isPositive();

    JsonObject again = run(app, new JsonObject().put("full", true));
    for (String s : List.of("matriz", "filial", "legado")) {
      assertThat(outcome(again, s).getInteger("inserted") + outcome(again, s).getInteger("updated")).as(s).isZero();
    }
  }
}
