package pharmaops.scraping;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 20 sources on 4 fake hosts, scraped by a whole node (job engine schedules) while new posts appear at random.
 * Phase 1 (conditional GET on): detection-to-delivery latency (first time the site served a page holding a new
 * post -> the fake Wuzapi accepted its message), and the highest request rate any host saw in a sliding second
 * against its configured limit. Phase 2 repeats the same load with conditional GET off, for the bytes it saves.
 * Usage: ScrapingBench [secondsPerPhase]
 */
public final class ScrapingBench {
  static final int HOSTS = 4;
  static final int BOARDS_PER_HOST = 5;
  static final double HOST_RATE = 4;
  static final Pattern TITLE = Pattern.compile("\\*(B-\\d+-\\d+)\\*");

  record Phase(List<Long> latenciesMs, double maxRate, long bytes, long pagesServed, int posts, int delivered) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Phase on = phase(1, true, seconds);
    Phase off = phase(2, false, seconds);
    List<Long> l = new ArrayList<>(on.latenciesMs());
    l.sort(Long::compare);
    long p50 = pct(l, 0.50);
    long p99 = pct(l, 0.99);
    System.out.printf("scraping bench: %d sources on %d hosts, %d s per phase, host limit %.1f req/s%n",
        HOSTS * BOARDS_PER_HOST, HOSTS, seconds, HOST_RATE);
    System.out.printf("phase 1 (conditional GET): %d new posts, %d delivered to WhatsApp, latency p50 %d ms, p99 %d ms, max %d ms (goal p99 <= 1000 ms)%n",
        on.posts(), on.delivered(), p50, p99, l.isEmpty() ? -1 : l.get(l.size() - 1));
    System.out.printf("max request rate per host: %.0f req/s in any 1 s window vs limit %.0f (%.2f of limit); without conditional GET %.0f%n",
        on.maxRate(), HOST_RATE, on.maxRate() / HOST_RATE, off.maxRate());
    System.out.printf("bytes served: %d with conditional GET (%d full pages) vs %d without (%d full pages): %.1f%% of the unconditional transfer%n",
        on.bytes(), on.pagesServed(), off.bytes(), off.pagesServed(), 100.0 * on.bytes() / off.bytes());
    System.out.println("RESULT scraping_delivery_p50_ms " + p50);
    System.out.println("RESULT scraping_delivery_p99_ms " + p99);
    System.out.println("RESULT scraping_max_host_rate_ratio " + String.format("%.2f", Math.max(on.maxRate(), off.maxRate()) / HOST_RATE));
    System.out.println("RESULT scraping_conditional_bytes_ratio " + String.format("%.3f", (double) on.bytes() / off.bytes()));
    System.exit(0);
  }

  static Phase phase(int n, boolean conditional, int seconds) throws Exception {
    Vertx fakes = Vertx.vertx();
    List<FakeOrganiserSite> hosts = new ArrayList<>();
    FakeWuzapi wuzapi = (FakeWuzapi) new FakeWuzapi(fakes, "bench").start();
    JsonArray sources = new JsonArray();
    List<String[]> boards = new ArrayList<>();
    FakeOrganiserSite.Layout[] layouts = FakeOrganiserSite.Layout.values();
    for (int h = 0; h < HOSTS; h++) {
      FakeOrganiserSite site = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
      hosts.add(site);
      for (int b = 0; b < BOARDS_PER_HOST; b++) {
        String path = "/quadro" + b;
        var layout = layouts[(h + b) % layouts.length];
        site.board(path, layout);
        for (int i = 0; i < 2; i++) site.post(path, new FakeOrganiserSite.Post("antiga " + h + "-" + b + "-" + i, "texto", "24/11/2026", path + "/" + i));
        JsonObject s = new JsonObject().put("name", "bench-" + h + "-" + b).put("url", site.baseUrl() + path)
            .put("kind", layout == FakeOrganiserSite.Layout.TABLE ? "table" : layout == FakeOrganiserSite.Layout.CARDS ? "cards" : "css")
            .put("schedule", "@every 2s").put("ratePerSecond", HOST_RATE).put("maxConcurrency", 2).put("maxPages", 1)
            .put("channels", new JsonArray().add(new JsonObject().put("type", "whatsapp").put("recipients", new JsonArray().add("55119000" + h + "000" + b))));
        if (layout == FakeOrganiserSite.Layout.LIST) {
          s.put("options", new JsonObject().put("item", "li.aviso").put("title", ".t").put("body", ".txt").put("date", ".quando").put("link", "a.mais"));
        }
        sources.add(s);
        boards.add(new String[] {String.valueOf(h), path});
      }
    }
    var config = Node.withEnv(TestServices.config(new JsonObject()
        .put("jobs", new JsonObject().put("pollIntervalMs", 200))
        .put("scraping", new JsonObject().put("conditionalGet", conditional).put("tickSeconds", 1)
            .put("whatsapp", new JsonObject().put("baseUrl", wuzapi.baseUrl()).put("messagesPerMinute", 1200))
            .put("sources", sources))), "WUZAPI_TOKEN", "bench");
    TestApp app = TestApp.start(config);
    // The first scrape of each source announces its 2 old posts (40 messages); measure once they are out.
    long warmUntil = System.currentTimeMillis() + 60_000;
    while (wuzapi.accepted().size() < 2 * HOSTS * BOARDS_PER_HOST && System.currentTimeMillis() < warmUntil) Thread.sleep(200);
    Thread.sleep(1000);
    long bytesBefore = hosts.stream().mapToLong(FakeOrganiserSite::bytesSent).sum();
    long startNanos = System.nanoTime();
    AtomicInteger posted = new AtomicInteger();
    Map<String, Long> postedTitles = new ConcurrentHashMap<>();
    long timer = fakes.setPeriodic(400, t -> {
      String[] b = boards.get(ThreadLocalRandom.current().nextInt(boards.size()));
      String title = "B-" + n + "-" + posted.incrementAndGet();
      postedTitles.put(title, System.nanoTime());
      hosts.get(Integer.parseInt(b[0])).post(b[1], new FakeOrganiserSite.Post(title, "nova tarefa", "hoje às 14h", b[1] + "/" + title));
    });
    Thread.sleep(seconds * 1000L);
    fakes.cancelTimer(timer);
    Thread.sleep(3000); // the last posts' scrapes and deliveries
    long bytes = hosts.stream().mapToLong(FakeOrganiserSite::bytesSent).sum() - bytesBefore;
    List<Long> latencies = new ArrayList<>();
    Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    for (var m : wuzapi.accepted()) {
      Matcher mt = TITLE.matcher(m.body());
      if (mt.find()) deliveredAt.putIfAbsent(mt.group(1), m.nanoTime());
    }
    int delivered = 0;
    for (String title : postedTitles.keySet()) {
      Long d = deliveredAt.get(title);
      Long served = null;
      for (FakeOrganiserSite s : hosts) if (served == null) served = s.firstServed(title);
      if (d != null && served != null) {
        latencies.add((d - served) / 1_000_000);
        delivered++;
      }
    }
    double maxRate = 0;
    for (FakeOrganiserSite s : hosts) {
      List<Long> all = new ArrayList<>();
      for (int b = 0; b < BOARDS_PER_HOST; b++) all.addAll(s.arrivals("/quadro" + b).stream().filter(x -> x >= startNanos).toList());
      all.addAll(s.arrivals("/robots.txt").stream().filter(x -> x >= startNanos).toList());
      all.sort(Long::compare);
      maxRate = Math.max(maxRate, ScrapingServiceIT.maxInAnySecond(all));
    }
    long pages = hosts.stream().mapToLong(s -> s.fullPages()).sum();
    app.close();
    hosts.forEach(FakeOrganiserSite::close);
    wuzapi.close();
    fakes.close().toCompletionStage().toCompletableFuture().join();
    return new Phase(latencies, maxRate, bytes, pages, posted.get(), delivered);
  }

  static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return -1;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
