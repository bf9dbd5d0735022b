package pharmaops.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.support.TestApp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in a real browser: starts a node with the demo catalogue and runs
 * {@code src/test/browser/ui.test.mjs} (Playwright driving Debian's chromium) against it. Screenshots of
 * every page land in {@code target/browser/}. Locally the test is skipped when chromium or the npm
 * packages are missing; on CI ({@code CI=true}, where {@code .ci/run} installs both) it fails instead.
 */
class BrowserIT {
  private static final Logger log = LoggerFactory.getLogger(BrowserIT.class);
  private static final Path SCRIPT_DIR = Path.of("src", "test", "browser");
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path OUT = Path.of("target", "browser");
  private static TestApp app;
  private static String missing;

  @BeforeAll
  static void start() {
    missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " (apt-get install -y chromium)"
        : !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")) ? SCRIPT_DIR + "/node_modules (npm ci there)"
        : !onPath("node") ? "node" : null;
    if (missing != null && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("browser tests cannot run on CI: missing " + missing + "; .ci/run should install it");
    }
    if (missing != null) return; // the test reports itself skipped, with the reason
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true)));
  }

  @AfterAll
  static void stop() {
    if (app != null) app.close();
  }

  @Test
  void searchLeafletReportsAndOperationsWorkInChromium() throws Exception {
    assumeTrue(missing == null, () -> "browser tests skipped: missing " + missing);
    String name = leafletWithSections();
    String typo = typoOf(name);
    var pb = new ProcessBuilder("node", "ui.test.mjs").directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
    var env = pb.environment();
    env.put("PHARMAOPS_URL", app.url("/"));
    env.put("PHARMAOPS_ADMIN_TOKEN", app.tokenWithRoles("admin"));
    env.put("PHARMAOPS_ATTENDANT_TOKEN", app.tokenWithRoles("attendant"));
    env.put("SEARCH_TYPO", typo);
    env.put("SEARCH_EXPECT", name);
    String[] filter = filterSample();
    env.put("FILTER_QUERY", filter[0]);
    env.put("FILTER_MANUFACTURER", filter[1]);
    env.put("DEAD_JOB_ID", Long.toString(deadJob()));
    env.put("SCREENSHOT_DIR", OUT.toAbsolutePath().toString());
    env.put("CHROMIUM", CHROMIUM.toString());
    log.info("browser tests: looking for '{}' by typing '{}'", name, typo);

    Process p = pb.start();
    var output = new StringBuilder();
    try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.append(line).append('\n');
        log.info("browser: {}", line);
      }
    }
    boolean ended = p.waitFor(6, TimeUnit.MINUTES);
    if (!ended) p.destroyForcibly();
    assertThat(ended).as("browser tests did not finish in 6 minutes:\n%s", output).isTrue();
    assertThat(p.exitValue()).as("browser tests failed:\n%s", output).isZero();
    assertThat(OUT.resolve("search.png")).exists();
    assertThat(OUT.resolve("leaflet-phone.png")).exists();
  }

  /** A leaflet of the demo catalogue with real section text, so the contents list has somewhere to jump. */
  private static String leafletWithSections() throws SQLException {
    try (var c = connect();
         var rs = c.createStatement().executeQuery("SELECT name FROM bula WHERE indications IS NOT NULL "
             + "AND dosage IS NOT NULL AND length(split_part(name, ' ', 1)) >= 6 ORDER BY id LIMIT 1")) {
      assertThat(rs.next()).as("the demo catalogue has no leaflet with sections").isTrue();
      return rs.getString(1);
    }
  }

  /**
   * An active ingredient (one word) of a few products made by at least two manufacturers, and one of them whose
   * name the other's does not contain: searching the ingredient finds both, filtering by that one must drop some.
   */
  private static String[] filterSample() throws SQLException {
    try (var c = connect();
         var rs = c.createStatement().executeQuery("""
             WITH w AS (SELECT i AS word, manufacturer FROM bula, unnest(active_ingredients) AS i
                        WHERE coalesce(manufacturer, '') <> '')
             SELECT a.word, a.manufacturer FROM w a JOIN w b ON b.word = a.word
               AND strpos(lower(b.manufacturer), lower(a.manufacturer)) = 0
             WHERE a.word ~ '^[a-z]{5,}$' AND (SELECT count(*) FROM w x WHERE x.word = a.word) <= 10
             ORDER BY a.word, a.manufacturer LIMIT 1""")) {
      assertThat(rs.next()).as("the demo catalogue has no ingredient made by two manufacturers").isTrue();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  /**
   * A job that ran out of attempts, for the operations page to retry. Its type has no handler on this node,
   * so once retried it stays queued where the page can see it.
   */
  private static long deadJob() throws SQLException {
    try (var c = connect();
         var rs = c.createStatement().executeQuery("INSERT INTO job (type, state, attempts, error, finished_at) VALUES "
             + "('browser.check', 'dead', 3, 'gave up after 3 attempts: the remote system kept timing out', now()) RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static java.sql.Connection connect() throws SQLException {
    URI pg = URI.create(app.app().config().pg().url());
    return DriverManager.getConnection("jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + pg.getPath(), "postgres", "");
  }

  /** The leaflet's first word with one inner letter dropped, the commonest slip when typing fast. */
  static String typoOf(String name) {
    String word = name.split("\\s+")[0].toLowerCase();
    int drop = word.length() / 2;
    return word.substring(0, drop) + word.substring(drop + 1);
  }

  private static boolean onPath(String command) {
    try {
      return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
