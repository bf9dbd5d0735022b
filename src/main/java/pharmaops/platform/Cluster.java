package pharmaops.platform;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Cluster membership on Hazelcast: the event bus spans all nodes, so sister services and WebSocket
 * clients on any node see every node's events. Members come from a TCP list (multicast is off: it does not
 * cross most networks and would let strangers join). A killed node is noticed within seconds, not the
 * minute Hazelcast waits by default.
 */
public final class Cluster {
  private Cluster() {}

  public static ClusterManager manager(AppConfig.Cluster c) {
    System.setProperty("hazelcast.logging.type", "slf4j"); // before Hazelcast's first log line
    Config hz = ConfigUtil.loadConfig(); // keeps the maps Vert.x needs (__vertx.subs, ...)
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // App shuts down in order
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    var net = hz.getNetworkConfig();
    net.setPort(c.hazelcastPort()).setPortAutoIncrement(true).setPortCount(20);
    if (!c.publicHost().isEmpty()) net.setPublicAddress(c.publicHost() + ":" + c.hazelcastPort());
    net.getInterfaces().setEnabled(false);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3);
    tcp.addMember(c.host());
    c.members().forEach(tcp::addMember);
    return new HazelcastClusterManager(hz);
  }

  /** Binds the clustered event bus where the other nodes can reach it. */
  public static VertxOptions eventBus(VertxOptions options, AppConfig.Cluster c) {
    options.getEventBusOptions().setHost(c.host()).setPort(c.eventBusPort());
    if (!c.publicHost().isEmpty()) options.getEventBusOptions().setClusterPublicHost(c.publicHost());
    return options;
  }
}
