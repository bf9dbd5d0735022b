package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.scraping.FakeOrganiserSite.Layout;
import pharmaops.scraping.FakeOrganiserSite.Post;
import pharmaops.support.TestServices;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static pharmaops.scraping.Node.source;

/**
 * Politeness of fetches: Retry-After beyond one run, the page size cap, redirects through each hop's gate and
 * robots.txt, later pages disallowed by robots.txt, shared host limits across sources and across nodes, and
 * the fall-back to a node's own rate when Redis is down. Each test has its own fake site (a host's pause or
 * robots.txt is its own).
 */
class FetchIT {
  static Vertx fakes;
  static AppConfig config;
  static Node node;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    config = TestServices.config(new JsonObject().put("scraping", new JsonObject()
        .put("timeoutMs", 2000).put("maxRetries", 1).put("retryBaseMs", 50).put("maxPageBytes", 65_536)));
    node = new Node(config);
  }

  @AfterAll
  static void stop() {
    node.close();
    fakes.close();
  }

  static FakeOrganiserSite site() {
    return (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
  }

  static void posts(FakeOrganiserSite site, String path, Layout layout, int n) {
    site.board(path, layout);
    for (int i = 1; i <= n; i++) site.post(path, new Post("Tarefa " + i, "Vale " + i, "25/11/2026", path + "/" + i));
  }

  @Test
  void aRetryAfterLongerThanARunPausesTheHostForTheNextRunsToo() {
    try (FakeOrganiserSite site = site()) {
      posts(site, "/lento", Layout.TABLE, 1);
      site.fail("/lento", 1, 429, "120");
      Source s = node.create(source("retry-after-longo", site.baseUrl() + "/lento", "table"));
      JsonObject first = node.run(s);
      assertThat(first.getString("status")).isEqualTo("failed");
      assertThat(first.getString("error")).contains("HTTP 429");
      JsonObject next = node.run(s); // the next scheduled run comes well within the two minutes asked for
      assertThat(next.getString("status")).isEqualTo("failed");
      assertThat(next.getString("error")).contains("asked us to wait (Retry-After)");
      assertThat(site.arrivals("/lento")).hasSize(1);
    }
  }

  @Test
  void aPageLargerThanMaxPageBytesIsNotReadAndTheRunSaysWhich() {
    try (FakeOrganiserSite site = site()) {
      String big = "<html><body><table>" + "<tr><td>25/11/2026</td><td><a href='/t'>Tarefa</a></td></tr>".repeat(2000) + "</table></body></html>";
      site.raw("/grande", big);
      site.raw("/aos-pedacos", big);
      site.chunked("/aos-pedacos"); // no Content-Length: the cap must hold while reading
      for (String path : List.of("/grande", "/aos-pedacos")) {
        Source s = node.create(source("grande" + path.replace('/', '-'), site.baseUrl() + path, "table"));
        JsonObject run = node.run(s);
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("error")).contains(site.baseUrl() + path).contains("larger than 65536 bytes");
      }
    }
  }

  @Test
  void redirectsAreFollowedHopByHopThroughEachHostsRobotsTxt() {
    try (FakeOrganiserSite from = site(); FakeOrganiserSite to = site()) {
      posts(to, "/quadro", Layout.TABLE, 1);
      posts(to, "/private/quadro", Layout.TABLE, 1); // to's robots.txt disallows /private
      from.redirect("/mudou", 301, to.baseUrl() + "/quadro");
      from.redirect("/escondido", 302, to.baseUrl() + "/private/quadro");
      from.redirect("/volta", 302, "/volta");

      JsonObject moved = node.run(node.create(source("mudou", from.baseUrl() + "/mudou", "table")));
      assertThat(moved.getString("status")).isEqualTo("ok");
      List<StoredItem> items = Node.await(node.service.items().page(null, moved.getLong("sourceId"), null, 10));
      assertThat(items).singleElement().satisfies(i -> assertThat(i.link()).isEqualTo(to.baseUrl() + "/quadro/1"));

      JsonObject hidden = node.run(node.create(source("escondido", from.baseUrl() + "/escondido", "table")));
      assertThat(hidden.getString("status")).isEqualTo("blocked");
      assertThat(hidden.getString("error")).contains("robots.txt disallows " + to.baseUrl() + "/private/quadro");
      assertThat(to.arrivals("/private/quadro")).isEmpty();
      assertThat(to.arrivals("/robots.txt")).hasSize(1);

      JsonObject loop = node.run(node.create(source("volta", from.baseUrl() + "/volta", "table")));
      assertThat(loop.getString("error")).contains("more than 5 redirects");
      assertThat(from.arrivals("/volta")).hasSize(6);
    }
  }

  @Test
  void aLaterPageDisallowedByRobotsTxtIsAnErrorOfTheRun() {
    try (FakeOrganiserSite site = site()) {
      site.robots("User-agent: *\nDisallow: /*page=2\n");
      posts(site, "/paginas", Layout.CARDS, 3);
      site.board("/paginas", Layout.CARDS).pageSize = 1;
      JsonObject run = node.run(node.create(source("robots-p2", site.baseUrl() + "/paginas", "cards").put("maxPages", 3)));
      assertThat(run.getString("status")).isEqualTo("ok");
      assertThat(run.getInteger("itemsFound")).isEqualTo(1);
      assertThat(run.getJsonArray("itemErrors")).contains("page " + site.baseUrl() + "/paginas?page=2: robots.txt disallows "
          + site.baseUrl() + "/paginas?page=2 (or could not be read)");
    }
  }

  @Test
  void sourcesOnOneHostShareTheLowestConcurrencyWhicheverCameFirst() {
    try (FakeOrganiserSite site = site()) {
      List<Source> sources = new ArrayList<>();
      for (String name : List.of("wide-1", "narrow", "wide-2")) {
        posts(site, "/" + name, Layout.TABLE, 1);
        site.slow("/" + name, 300);
        int conc = name.equals("narrow") ? 1 : 4;
        sources.add(node.create(source("conc-" + name, site.baseUrl() + "/" + name, "table").put("maxConcurrency", conc)
            .put("respectRobots", false)));
      }
      node.run(sources.get(0)); // the host's gate is made with concurrency 4
      node.run(sources.get(1)); // a source allowing 1 joins the host
      Node.await(Future.all(node.service.run(sources.get(0)), node.service.run(sources.get(2))));
      assertThat(site.maxInFlight()).isEqualTo(1);
    }
  }

  @Test
  void twoNodesFetchingOneHostTogetherStayWithinItsRate() {
    try (FakeOrganiserSite site = site(); Node other = new Node(config)) {
      for (String path : List.of("/a", "/b")) {
        posts(site, path, Layout.CARDS, 8);
        site.board(path, Layout.CARDS).pageSize = 2;
      }
      Source a = node.create(source("nodes-a", site.baseUrl() + "/a", "cards").put("ratePerSecond", 5).put("maxPages", 4));
      Source b = node.create(source("nodes-b", site.baseUrl() + "/b", "cards").put("ratePerSecond", 5).put("maxPages", 4));
      Node.await(Future.all(node.service.run(a), other.service.run(b)));
      List<Long> all = new ArrayList<>();
      for (String p : List.of("/a", "/b", "/robots.txt")) all.addAll(site.arrivals(p));
      all.sort(Long::compare);
      assertThat(all).hasSize(10); // robots.txt once per node, 4 pages of each board
      // 5 a second, no burst: per-node limits would let both nodes' 10 requests through in about a second.
      assertThat(ScrapingServiceIT.maxInAnySecond(all)).isLessThanOrEqualTo(5);
    }
  }

  @Test
  void withRedisDownANodeKeepsToTheRateOnItsOwn() {
    AppConfig noRedis = TestServices.config(new JsonObject().put("redis", new JsonObject().put("url", "redis://127.0.0.1:1"))
        .put("scraping", new JsonObject().put("timeoutMs", 2000)));
    try (FakeOrganiserSite site = site(); Node alone = new Node(noRedis)) {
      posts(site, "/sem-redis", Layout.CARDS, 8);
      site.board("/sem-redis", Layout.CARDS).pageSize = 1;
      Source s = alone.create(source("sem-redis", site.baseUrl() + "/sem-redis", "cards").put("ratePerSecond", 5).put("maxPages", 8));
      assertThat(alone.run(s).getInteger("itemsNew")).isEqualTo(8);
      List<Long> all = new ArrayList<>(site.arrivals("/sem-redis"));
      all.addAll(site.arrivals("/robots.txt"));
      all.sort(Long::compare);
      assertThat(all).hasSize(9);
      assertThat(ScrapingServiceIT.maxInAnySecond(all)).isLessThanOrEqualTo(5);
      assertThat(alone.platform.metrics().counter("pharmaops.scraping.rate.local", "reason", "redis").count()).isPositive();
    }
  }
}
