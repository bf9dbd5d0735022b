package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Where report files live: {@code report-<job id>.csv}, written as {@code report-<job id>-a<attempt>-<run>.csv.part}
 * and renamed when complete, so a final name only ever holds a whole file. The part file is the attempt's own: a
 * worker that lost its lease, or a handler still running after its job was released, never writes, renames or
 * deletes another attempt's file. Names come from job ids and attempt numbers only, never from client input.
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

  /** {@code run} tells apart two runs of one attempt number (a released attempt gives its number back). */
  Path partPath(long id, int attempt, String run) {
    return dir.resolve("report-" + id + "-a" + attempt + "-" + run + ".csv.part");
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

  /** A finished report's file, and what attempts left unfinished. */
  Future<Void> delete(long id) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(finalPath(id));
      deleteParts(id, Integer.MAX_VALUE);
      return null;
    });
  }

  /**
   * After attempt {@code attempt} published the file: the part files of earlier attempts, which crashed workers
   * left behind (a zombie still writing one only loses its own unfinished copy). Never fails the export.
   */
  Future<Void> deleteEarlierParts(long id, int attempt) {
    return vertx.executeBlocking(() -> {
      try {
        deleteParts(id, attempt);
      } catch (IOException e) {
        log.warn("cannot delete parts of earlier attempts {} {}", kv("job", id), kv("error", e.toString()));
      }
      return null;
    });
  }

  private void deleteParts(long id, int belowAttempt) throws IOException {
    if (!Files.isDirectory(dir)) return;
    String prefix = "report-" + id + "-a";
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, prefix + "*.csv.part")) {
      for (Path p : parts) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int attempt;
        try {
          attempt = Integer.parseInt(rest.substring(0, Math.max(0, rest.indexOf('-'))));
        } catch (NumberFormatException e) {
          continue; // not a name this class makes
        }
        if (attempt < belowAttempt) Files.deleteIfExists(p);
      }
    }
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
