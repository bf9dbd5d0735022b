package pharmaops.platform;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.net.URL;

/**
 * Switches between human-readable and JSON logs. logback.xml reads the choice from the system property
 * {@code pharmaops.log.format}; the value can also come from conf/config.json, which is read after logback
 * has started, hence the reload.
 */
public final class Logging {
  private Logging() {}

  public static void apply(String format) {
    String current = System.getProperty("pharmaops.log.format", System.getenv().getOrDefault("PHARMAOPS_LOG_FORMAT", "text"));
    if (current.equalsIgnoreCase(format)) return;
    System.setProperty("pharmaops.log.format", format);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
    URL xml = Logging.class.getResource("/logback.xml");
    if (xml == null) return;
    ctx.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot reconfigure logging", e);
    }
  }

  /** Drains the asynchronous appender and stops logging; the last call of a JVM that exits (shutdown hook). */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) ctx.stop();
  }
}
