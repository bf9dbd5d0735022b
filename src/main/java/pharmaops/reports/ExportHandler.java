package pharmaops.reports;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import pharmaops.jobs.JobContext;
import pharmaops.jobs.JobHandler;

import java.time.Instant;
import java.util.UUID;

/**
 * The export worker. Streams the report's query through a cursor ({@code RowStream} in a transaction) one chunk
 * at a time: format the chunk as CSV, write it, report progress, and only then fetch the next, so memory holds
 * one chunk whatever the report's size. Writes to the attempt's own {@code .part} file (see {@link ReportFiles}),
 * flushed to disk, and renamed only when complete and once the lease is confirmed, so an attempt that lost its
 * job cannot publish its file; part files of earlier (crashed) attempts then go.
 */
final class ExportHandler implements JobHandler {
  static final String TYPE = "report.export";
  /** First statement of the export's transaction: the count and the stream see the same rows. */
  static final String ONE_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  private final Vertx vertx;
  private final Pool pool;
  private final ReportTypes types;
  private final ReportFiles files;
  private final int chunk;

  ExportHandler(Vertx vertx, Pool pool, ReportTypes types, ReportFiles files, int chunk) {
    this.vertx = vertx;
    this.pool = pool;
    this.types = types;
    this.files = files;
    this.chunk = chunk;
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    ReportType type = types.get(job.payload().getString("reportType"));
    if (type == null) return Future.failedFuture("unknown report type " + job.payload().getString("reportType"));
    Tuple params = type.params(job.payload().getJsonObject("filters", new JsonObject()));
    String part = files.partPath(job.id(), job.attempt(), UUID.randomUUID().toString().substring(0, 8)).toString();
    String fin = files.finalPath(job.id()).toString();
    long[] bytes = {0};
    long[] total = {0};
    return files.ensureDir()
        .compose(v -> vertx.fileSystem().open(part, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)))
        .compose(file -> stream(job, type, params, total, file, bytes)
            .compose(rows -> file.flush().compose(v -> file.close()).map(rows),
                e -> file.close().transform(x -> Future.failedFuture(e))))
        // Still ours? Then no other attempt can start before the rename, a moment later (and should a pause outlast
        // the lease, the rename can only put one whole file in place of another).
        .compose(rows -> job.checkpoint(100, details(rows, total[0])).map(rows))
        .compose(rows -> vertx.fileSystem().move(part, fin, new CopyOptions().setReplaceExisting(true).setAtomicMove(true))
            .compose(v -> files.deleteEarlierParts(job.id(), job.attempt()))
            .map(v -> new JsonObject().put("file", files.finalPath(job.id()).getFileName().toString()).put("rows", rows)
                .put("bytes", bytes[0]).put("expiresAt", Instant.now().plus(files.retention()).toString())))
        .onFailure(e -> vertx.fileSystem().delete(part)); // only its own part file
  }

  /**
   * Counts, then streams, in one snapshot: the total (for an honest progress %) is exactly the rows the file
   * gets. The count drops the query's ORDER BY and output columns ({@link ReportType#countSql}): one plain scan
   * of the matching rows, cheap beside formatting and writing each of them. The cursor held the transaction's
   * snapshot for the whole export anyway, so REPEATABLE READ keeps nothing longer from vacuum.
   */
  private Future<Long> stream(JobContext job, ReportType type, Tuple params, long[] totalRows, AsyncFile file, long[] bytes) {
    return pool.withTransaction(conn -> conn.query(ONE_SNAPSHOT).execute()
        .compose(v -> conn.preparedQuery(type.countSql()).execute(params))
        .compose(counted -> {
          totalRows[0] = counted.iterator().next().getLong(0);
          return conn.prepare(type.sql());
        })
        .compose(ps -> copy(job, type, ps.createStream(chunk, params), totalRows[0], file, bytes)));
  }

  /** One chunk at a time: format, write, report progress, and only then fetch the next. */
  private Future<Long> copy(JobContext job, ReportType type, RowStream<Row> rows, long total, AsyncFile file, long[] bytes) {
    Promise<Long> done = Promise.promise();
    int columns = type.columns().size();
    ByteBuf[] out = {Unpooled.buffer(chunk * 256)};
    Csv.line(out[0], type.columns());
    long[] n = {0};
    rows.exceptionHandler(done::tryFail);
    rows.endHandler(v -> write(file, out[0], bytes).onSuccess(x -> done.tryComplete(n[0])).onFailure(done::tryFail));
    rows.handler(row -> {
      ByteBuf b = out[0];
      for (int i = 0; i < columns; i++) {
        if (i > 0) b.writeByte(',');
        Csv.cell(b, row.getString(i));
      }
      Csv.crlf(b);
      if (++n[0] % chunk == 0) {
        rows.pause();
        int pct = total == 0 ? 99 : (int) Math.min(99, n[0] * 100 / total);
        Future<Void> written = write(file, b, bytes);
        out[0] = Unpooled.buffer(b.capacity()); // the written chunk belongs to the file now
        written.compose(x -> job.progress(pct, details(n[0], total)))
            .onSuccess(x -> rows.resume())
            .onFailure(e -> rows.close().onComplete(x -> done.tryFail(e)));
      }
    });
    return done.future();
  }

  private static Future<Void> write(AsyncFile file, ByteBuf chunk, long[] bytes) {
    bytes[0] += chunk.readableBytes();
    return file.write(BufferInternal.buffer(chunk));
  }

  private static JsonObject details(long rows, long total) {
    return new JsonObject().put("rowsWritten", rows).put("totalRows", total);
  }
}
