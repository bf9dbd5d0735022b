package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Where report files live: {@code report-<job id>.csv}, written as {@code .csv.part} and renamed when complete, so
 * a final name only ever holds a whole file. Names come from job ids only, never from client input.
 */
final class ReportFiles {
  private static final Logger log = LoggerFactory.getLogger(ReportFiles.class);
  private final Vertx vertx;
  private final Path dir;
  private final Duration retention;

  ReportFiles(Vertx vertx, Path dir, Duration retention) {
    this.vertx = vertx;
    this.dir = dir;
    this.retention = retention;
  }

  Path dir() {
    return dir;
  }

  Duration retention() {
    return retention;
  }

  Path finalPath(long id) {
    return dir.resolve("report-" + id + ".csv");
  }

  Path partPath(long id) {
    return dir.resolve("report-" + id + ".csv.part");
  }

  Future<Void> ensureDir() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      return null;
    });
  }

  Future<Boolean> exists(long id) {
    return vertx.fileSystem().exists(finalPath(id).toString());
  }

  Future<Void> delete(long id) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(finalPath(id));
      Files.deleteIfExists(partPath(id));
      return null;
    });
  }

  /** The cleanup job: deletes finished files past retention, and partial files left by crashed workers as long. */
  Future<JsonObject> cleanup() {
    return vertx.executeBlocking(() -> {
      Instant cutoff = Instant.now().minus(retention);
      int deleted = 0;
      if (!Files.isDirectory(dir)) return new JsonObject().put("deleted", 0);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          String n = p.getFileName().toString();
          if (!n.startsWith("report-") || !(n.endsWith(".csv") || n.endsWith(".csv.part"))) continue;
          try {
            if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) deleted++;
          } catch (IOException e) {
            log.warn("cannot delete expired report file {} {}", kv("file", n), kv("error", e.toString()));
          }
        }
      }
      if (deleted > 0) log.info("expired report files deleted {}", kv("files", deleted));
      return new JsonObject().put("deleted", deleted);
    });
  }
}
