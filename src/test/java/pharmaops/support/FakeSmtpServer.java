package pharmaops.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP relay we do not own, as a small Vert.x NetServer on 127.0.0.1 that speaks enough SMTP for a real client
 * (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and counts what it really received. Faults can change while it
 * runs: latency before the final reply, a recipient refused N times with a 4xx/5xx code, the connection dropped
 * after the data arrived but before the reply (the client cannot know the message got through), or nothing
 * listening. A message counts as delivered once its data is complete, whatever the reply: the worst case for
 * duplicates, as with a real relay that accepted it just before the connection broke.
 */
public final class FakeSmtpServer implements AutoCloseable {
  private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");
  private static final Pattern ADDRESS = Pattern.compile("<([^>]*)>");

  /** A message as received: envelope recipients and the Message-ID header. */
  public record Received(List<String> recipients, String messageId, String data) {}

  private record Rejection(String address, int code, AtomicInteger remaining) {}

  private final Vertx vertx;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> byMessageId = new ConcurrentHashMap<>();
  private final AtomicReference<Rejection> rejection = new AtomicReference<>();
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile long latencyMs;
  private volatile boolean dropAfterData;
  private volatile boolean down;
  private NetServer server;

  public FakeSmtpServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public FakeSmtpServer start() {
    try {
      server = vertx.createNetServer().connectHandler(this::session).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return this;
    } catch (Exception e) {
      throw new IllegalStateException("fake SMTP server did not start", e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  public void latency(long ms) {
    latencyMs = ms;
  }

  /** The next {@code times} RCPT TO for {@code address} are answered {@code code} (451 transient, 550 permanent). */
  public void rejectRecipient(String address, int times, int code) {
    rejection.set(new Rejection(address.toLowerCase(Locale.ROOT), code, new AtomicInteger(times)));
  }

  /** Receive the data, then close the connection instead of answering 250. */
  public void dropAfterData(boolean drop) {
    dropAfterData = drop;
  }

  /** Close every new connection at once. */
  public void down(boolean d) {
    down = d;
  }

  /** Messages whose data arrived completely. */
  public int delivered() {
    return received.size();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Messages received more than once with the same Message-ID (sum of the extra copies). */
  public int duplicates() {
    return byMessageId.values().stream().mapToInt(n -> n.get() - 1).sum();
  }

  /** Distinct Message-IDs received. */
  public int distinctMessages() {
    return byMessageId.size();
  }

  public int timesReceived(String messageId) {
    AtomicInteger n = byMessageId.get(messageId);
    return n == null ? 0 : n.get();
  }

  /** RCPT TO commands refused by an injected rejection. */
  public int rejected() {
    return rejected.get();
  }

  private final class Session {
    final NetSocket so;
    final List<String> rcpts = new CopyOnWriteArrayList<>();
    StringBuilder data;

    Session(NetSocket so) {
      this.so = so;
    }

    void reply(String text) {
      so.write(text + "\r\n");
    }

    void line(String line) {
      if (data != null) {
        if (line.equals(".")) finish();
        else data.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
        return;
      }
      String cmd = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
      switch (cmd) {
        case "EHLO" -> reply("250-fake.smtp\r\n250-8BITMIME\r\n250 SIZE 10485760");
        case "HELO" -> reply("250 fake.smtp");
        case "MAIL" -> {
          rcpts.clear();
          reply("250 2.1.0 OK");
        }
        case "RCPT" -> rcpt(line);
        case "DATA" -> {
          if (rcpts.isEmpty()) {
            reply("503 5.5.1 no valid recipients");
          } else {
            data = new StringBuilder();
            reply("354 end data with <CR><LF>.<CR><LF>");
          }
        }
        case "RSET" -> {
          rcpts.clear();
          reply("250 2.0.0 OK");
        }
        case "NOOP" -> reply("250 2.0.0 OK");
        case "QUIT" -> {
          reply("221 2.0.0 bye");
          so.close();
        }
        default -> reply("502 5.5.2 command not implemented");
      }
    }

    void rcpt(String line) {
      Matcher m = ADDRESS.matcher(line);
      String address = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
      Rejection r = rejection.get();
      if (r != null && r.address().equals(address) && r.remaining().getAndDecrement() > 0) {
        rejected.incrementAndGet();
        reply(r.code() + (r.code() >= 500 ? " 5.1.1 mailbox unavailable" : " 4.2.0 try again later"));
        return;
      }
      rcpts.add(address);
      reply("250 2.1.5 OK");
    }

    void finish() {
      String body = data.toString();
      data = null;
      Matcher m = MESSAGE_ID.matcher(body);
      String id = m.find() ? m.group(1) : "";
      received.add(new Received(List.copyOf(rcpts), id, body));
      byMessageId.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      rcpts.clear();
      Runnable answer = () -> {
        if (dropAfterData) so.close();
        else reply("250 2.0.0 queued as " + received.size());
      };
      if (latencyMs > 0) vertx.setTimer(latencyMs, t -> answer.run());
      else answer.run();
    }
  }

  private void session(NetSocket so) {
    if (down) {
      so.close();
      return;
    }
    Session s = new Session(so);
    so.handler(RecordParser.newDelimited("\r\n", (Buffer b) -> s.line(b.toString(StandardCharsets.UTF_8))));
    s.reply("220 fake.smtp ESMTP");
  }

  @Override
  public void close() {
    if (server != null) server.close();
  }
}
