package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerResponse;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Streams a file as gzip (RFC 1952) with back-pressure: one read buffer at a time is deflated and written, the
 * file pausing while the client is slow. Deflating 64 KiB takes about a millisecond, so it stays on the event loop.
 */
final class GzipPump {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private final Deflater deflater = new Deflater(4, true);
  private final CRC32 crc = new CRC32();
  private final byte[] out = new byte[64 * 1024];
  private long size;

  private GzipPump() {}

  static Future<Void> pump(AsyncFile in, HttpServerResponse resp) {
    return new GzipPump().run(in.setReadBufferSize(64 * 1024), resp);
  }

  private Future<Void> run(AsyncFile in, HttpServerResponse resp) {
    Promise<Void> done = Promise.promise();
    resp.setChunked(true).write(Buffer.buffer(HEADER));
    resp.closeHandler(v -> {
      deflater.end();
      in.close();
      done.tryFail("client went away");
    });
    in.exceptionHandler(e -> {
      deflater.end();
      resp.reset();
      done.tryFail(e);
    });
    in.handler(buf -> {
      byte[] b = buf.getBytes();
      crc.update(b);
      size += b.length;
      deflater.setInput(b);
      drain(resp, Deflater.NO_FLUSH);
      if (resp.writeQueueFull()) {
        in.pause();
        resp.drainHandler(v -> in.resume());
      }
    });
    in.endHandler(v -> {
      deflater.finish();
      drain(resp, Deflater.NO_FLUSH);
      deflater.end();
      Buffer trailer = Buffer.buffer(8).appendIntLE((int) crc.getValue()).appendIntLE((int) size);
      resp.end(trailer).onComplete(ar -> done.tryComplete());
      in.close();
    });
    return done.future();
  }

  private void drain(HttpServerResponse resp, int flush) {
    while (true) {
      int n = deflater.deflate(out, 0, out.length, flush);
      if (n > 0) resp.write(Buffer.buffer(n).appendBytes(out, 0, n));
      if (n < out.length && (deflater.needsInput() || deflater.finished())) return;
    }
  }
}
