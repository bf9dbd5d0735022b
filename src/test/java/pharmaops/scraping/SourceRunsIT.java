package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.scraping.FakeOrganiserSite.Layout;
import pharmaops.scraping.FakeOrganiserSite.Post;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.scraping.Node.source;

/**
 * One run of a source at a time, whoever starts it (the schedule's claim, a manual scrape), and configured
 * sources following the configuration. Each test has its own database: a claim takes every due source.
 */
class SourceRunsIT {
  static Vertx fakes;
  static FakeOrganiserSite site;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    site = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
  }

  @AfterAll
  static void stop() {
    site.close();
    fakes.close();
  }

  static Node node() {
    return new Node(TestServices.config(new JsonObject()));
  }

  static Source board(Node node, String name) {
    site.board("/" + name, Layout.TABLE);
    site.post("/" + name, new Post(name, "texto", "25/11/2026", "/" + name + "/1"));
    return node.create(source(name, site.baseUrl() + "/" + name, "table").put("respectRobots", false));
  }

  static List<Long> claimed(Node node, long leaseMs) {
    List<Long> ids = new ArrayList<>();
    Node.await(node.service.sources().claimDue(leaseMs)).forEach(c -> ids.add(c.source().id()));
    return ids;
  }

  @Test
  void aManualRunHoldsTheRunLeaseSoTheScheduleCannotClaimTheSourceMeanwhile() {
    try (Node node = node()) {
      Source s = board(node, "manual-holds");
      site.slow("/manual-holds", 1500);
      Future<JsonObject> manual = node.service.run(s);
      await().atMost(Duration.ofSeconds(5)).until(() -> !site.arrivals("/manual-holds").isEmpty());
      assertThat(claimed(node, 60_000)).doesNotContain(s.id());
      assertThat(Node.await(manual).getString("status")).isEqualTo("ok");
      assertThat(claimed(node, 60_000)).contains(s.id());
    }
  }

  @Test
  void aManualRunDuringAScheduledOneNeitherRunsNorFreesItsLease() {
    try (Node node = node()) {
      Source s = board(node, "scheduled-holds");
      UUID lease = Node.await(node.service.sources().claimDue(60_000)).get(0).lease();
      assertThat(node.run(s).getString("status")).isEqualTo("already-running");
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE id = " + s.id()
          + " AND running_until > now() AND run_lease = '" + lease + "'")).isEqualTo(1);
      assertThat(Node.await(node.service.run(s, UUID.randomUUID())).getString("status")).isEqualTo("lease-lost");

      assertThat(Node.await(node.service.run(s, lease)).getString("status")).isEqualTo("ok");
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE id = " + s.id() + " AND running_until IS NULL")).isEqualTo(1);
      assertThat(node.count("SELECT count(*) FROM scraping_run WHERE source_id = " + s.id())).isEqualTo(1);
    }
  }

  @Test
  void aClaimWhoseJobNeverStartsHoldsTheSourceOnlyForTheQueueLease() {
    try (Node node = node()) {
      Source s = board(node, "lost-job");
      assertThat(claimed(node, ScrapingService.QUEUE_LEASE.toMillis())).containsExactly(s.id());
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE id = " + s.id()
          + " AND running_until <= now() + interval '61 seconds'")).isEqualTo(1);

      Source t = board(node, "lost-job-short");
      assertThat(claimed(node, 1000)).containsExactly(t.id()); // s is still leased; t's job is lost
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> node.run(t).getString("status").equals("ok"));
    }
  }

  @Test
  void aConfiguredSourceRemovedFromTheConfigurationIsDisabledAtStart() {
    try (Node node = node()) {
      Source api = board(node, "from-api");
      List<String> errors = new ArrayList<>();
      SourceSpec kept = SourceSpec.parse(source("kept", site.baseUrl() + "/kept", "table"), "config", errors);
      SourceSpec dropped = SourceSpec.parse(source("dropped", site.baseUrl() + "/dropped", "table"), "config", errors);
      assertThat(errors).isEmpty();
      Node.await(node.service.sources().syncConfigured(List.of(kept, dropped)));
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE enabled")).isEqualTo(3);

      Node.await(node.service.sources().syncConfigured(List.of(kept))); // the next start, without "dropped"
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE name = 'dropped' AND NOT enabled")).isEqualTo(1);
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE name = 'kept' AND enabled")).isEqualTo(1);
      assertThat(node.count("SELECT count(*) FROM scraping_source WHERE id = " + api.id() + " AND enabled")).isEqualTo(1);
    }
  }

  @Test
  void aConfiguredSourceWhoseSelectorsChangedSeesItsPagesAgainInsteadOfA304() {
    try (Node node = node()) {
      List<String> errors = new ArrayList<>();
      SourceSpec first = SourceSpec.parse(source("configured", site.baseUrl() + "/kept", "table"), "config", errors);
      SourceSpec sameAgain = SourceSpec.parse(source("configured", site.baseUrl() + "/kept", "table"), "config", errors);
      SourceSpec newSelectors = SourceSpec.parse(source("configured", site.baseUrl() + "/kept", "table")
          .put("options", new JsonObject().put("table", "table.tarefas")), "config", errors);
      assertThat(errors).isEmpty();
      Node.await(node.service.sources().syncConfigured(List.of(first)));
      long id = node.count("SELECT id FROM scraping_source WHERE name = 'configured'");
      Node.await(node.platform.pool().query("INSERT INTO scraping_page (source_id, url, etag) VALUES (" + id
          + ", '" + site.baseUrl() + "/kept', '\"v1\"')").execute());

      Node.await(node.service.sources().syncConfigured(List.of(sameAgain))); // an unchanged restart keeps validators
      assertThat(node.count("SELECT count(*) FROM scraping_page WHERE source_id = " + id)).isEqualTo(1);
      Node.await(node.service.sources().syncConfigured(List.of(newSelectors)));
      assertThat(node.count("SELECT count(*) FROM scraping_page WHERE source_id = " + id)).isZero();
    }
  }
}
