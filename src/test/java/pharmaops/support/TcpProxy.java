package pharmaops.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 in front of a real server, so a test can make that server unreachable for one
 * node (close the proxy: open connections drop, new ones are refused) without stopping it for everybody else.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean cut;

  private TcpProxy(ServerSocket listener, String targetHost, int targetPort) {
    this.listener = listener;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public static TcpProxy start(String targetHost, int targetPort) {
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(listener, targetHost, targetPort);
      daemon("tcp-proxy-accept", proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a TCP proxy", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        Socket server = new Socket();
        server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        open.add(client);
        open.add(server);
        daemon("tcp-proxy-up", () -> pump(client, server));
        daemon("tcp-proxy-down", () -> pump(server, client));
      } catch (IOException closedOrRefused) {
        // closed: the loop ends; a refused target: the client sees its connection drop
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException dropped) {
      // one side went away; closing both below tells the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** The server "dies": forwarded connections drop and new ones are closed at once, until {@link #restore}. */
  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  /** The server is back: new connections are forwarded again (on the same port). */
  public void restore() {
    cut = false;
  }

  /** Stops listening and drops every forwarded connection. */
  @Override
  public void close() {
    closeQuietly(listener);
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
