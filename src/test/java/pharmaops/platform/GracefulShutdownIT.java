package pharmaops.platform;

import org.junit.jupiter.api.Test;
import pharmaops.support.NodeProcess;
import pharmaops.support.TestServices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownIT {
  @Test
  void sigtermDrainsAndExitsWithinTheDeadline() throws Exception {
    var dataDir = Files.createTempDirectory("pharmaops-shutdown");
    try (NodeProcess node = NodeProcess.start("shutdown", TestServices.freshDatabase(), TestServices.redisUrl(), dataDir,
        Map.of("PHARMAOPS_REDIS_KEY_PREFIX", TestServices.redisPrefix(), "PHARMAOPS_SHUTDOWN_DEADLINE_SECONDS", "10"))) {
      var http = HttpClient.newHttpClient();
      var live = http.send(HttpRequest.newBuilder(URI.create(node.url("/health/live"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);

      long start = System.nanoTime();
      int exit = node.terminate(Duration.ofSeconds(20));
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(exit).as("exit code after SIGTERM (log:%n%s)", node.log()).isEqualTo(143);
      assertThat(tookMs).as("shutdown must respect the 10 s deadline").isLessThan(15_000);
      assertThat(node.log()).contains("shutting down").contains("shutdown complete");
    }
  }
}
