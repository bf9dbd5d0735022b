package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Collects a response body up to {@code max} bytes. A larger body fails the write that crosses the limit,
 * which ends the pipe (the rest is read and discarded), so one runaway ERP page cannot exhaust the heap.
 */
final class BoundedBody implements WriteStream<Buffer> {
  /** The page is larger than the source's {@code maxPageBytes}. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long max) {
      super("page larger than " + max + " bytes (the source's maxPageBytes)", null, false, false);
    }
  }

  private final long max;
  private Buffer buffer = Buffer.buffer();
  private Handler<Throwable> exceptionHandler;

  BoundedBody(long max) {
    this.max = max;
  }

  Buffer buffer() {
    return buffer;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (buffer == null) return Future.failedFuture(new TooLarge(max));
    if ((long) buffer.length() + data.length() > max) {
      buffer = null; // let the collected part go at once
      TooLarge e = new TooLarge(max);
      if (exceptionHandler != null) exceptionHandler.handle(e);
      return Future.failedFuture(e);
    }
    buffer.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return buffer == null ? Future.failedFuture(new TooLarge(max)) : Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
