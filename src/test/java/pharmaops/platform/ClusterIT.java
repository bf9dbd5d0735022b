package pharmaops.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.support.NodeProcess;
import pharmaops.support.TestApp;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterIT {
  // Free ports, not fixed ones: parallel checkouts or a leftover node on a fixed port would join the wrong cluster.
  private static final int[] PORTS = {NodeProcess.freePort(), NodeProcess.freePort()};

  private static JsonObject clustered(int hazelcastPort, String name) {
    return new JsonObject().put("cluster", new JsonObject().put("enabled", true).put("name", name)
        .put("host", "127.0.0.1").put("hazelcastPort", hazelcastPort)
        .put("members", new JsonArray().add("127.0.0.1:" + PORTS[0]).add("127.0.0.1:" + PORTS[1])));
  }

  @Test
  void twoNodesShareOneEventBus() throws Exception {
    String name = "pharmaops-it-" + System.nanoTime();
    try (TestApp a = TestApp.start(clustered(PORTS[0], name)); TestApp b = TestApp.start(clustered(PORTS[1], name))) {
      assertThat(a.app().vertx().isClustered()).isTrue();
      b.app().vertx().eventBus().<String>consumer("it.echo", m -> m.reply("pong from b")).completion()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // Subscriptions propagate asynchronously; retry until node a sees node b's consumer.
      String reply = null;
      for (int i = 0; i < 50 && reply == null; i++) {
        try {
          reply = a.app().vertx().eventBus().<String>request("it.echo", "ping").toCompletionStage()
              .toCompletableFuture().get(2, TimeUnit.SECONDS).body();
        } catch (Exception notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(reply).isEqualTo("pong from b");
    }
  }
}
