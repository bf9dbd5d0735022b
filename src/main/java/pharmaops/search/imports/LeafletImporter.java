package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.search.SearchIndex;
import pharmaops.search.imports.Leaflet.Section;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Imports a folder of leaflet text files ({@code *.txt}). Each leaflet goes to the catalogue product with the
 * registration printed in it, else to a product of the same name that has no leaflet yet, else becomes a new
 * product. All files go in one transaction (the folder is small and the cache is invalidated once), each behind
 * its own savepoint: a file the database rejects is reported and rolled back alone, the others still land.
 */
public final class LeafletImporter {
  private static final Logger log = LoggerFactory.getLogger(LeafletImporter.class);
  private final Vertx vertx;
  private final Pool pool;

  public LeafletImporter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  private record Read(List<Leaflet> leaflets, List<ImportProblem> problems, int files) {}

  public Future<ImportReport> importDir(Path dir) {
    return vertx.executeBlocking(() -> read(dir)).compose(read -> {
      List<ImportProblem> problems = new ArrayList<>(read.problems());
      // leaflets find their products by name on the search documents: build those of every row written so far
      return SearchIndex.drain(vertx, pool).compose(x -> CatalogueWrites.inTransactionWithSavepoints(vertx, pool, "leaflet", tx -> writeAll(tx, read.leaflets(), problems)))
          .compose(w -> CatalogueWrites.indexed(vertx, pool, w))
          .map(w -> {
            ImportReport r = new ImportReport("leaflets:" + dir.getFileName(), read.files(), w.rows(), w.generation(), List.copyOf(problems));
            log.info("leaflet import done {} {} {} {}", kv("dir", dir.toString()), kv("files", r.read()), kv("written", r.written()),
                kv("problems", problems.size()));
            return r;
          });
    });
  }

  private static Read read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IOException("not a folder: " + dir.toAbsolutePath());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".txt")).sorted().toList();
    }
    List<Leaflet> leaflets = new ArrayList<>();
    List<ImportProblem> problems = new ArrayList<>();
    for (Path p : files) {
      String file = p.getFileName().toString();
      try {
        // pdftotext output may hold a stray invalid byte: replace it rather than lose the leaflet
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        Leaflet l = LeafletParser.parse(file, text);
        if (l.section(Section.INDICATIONS) == null && l.sections().size() < 2) {
          problems.add(new ImportProblem(file, 0, true, "no leaflet sections found (expected '1. PARA QUE ESTE MEDICAMENTO É INDICADO?' or '1. INDICAÇÕES')"));
          continue;
        }
        if (l.sections().size() < 6) {
          problems.add(new ImportProblem(file, 0, false, "only " + l.sections().size() + " sections found: " + l.sections().keySet()));
        }
        leaflets.add(l);
      } catch (IOException e) {
        problems.add(new ImportProblem(file, 0, true, "cannot read: " + e.getMessage()));
      }
    }
    return new Read(leaflets, problems, files.size());
  }

  private static Future<Integer> writeAll(SqlConnection tx, List<Leaflet> leaflets, List<ImportProblem> problems) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (Leaflet l : leaflets) {
      chain = chain.compose(n -> tx.query("SAVEPOINT leaflet").execute()
          .compose(x -> write(tx, l))
          .compose(x -> tx.query("RELEASE SAVEPOINT leaflet").execute().map(n + 1))
          .recover(err -> tx.query("ROLLBACK TO SAVEPOINT leaflet").execute().map(x -> {
            log.warn("leaflet rejected by the database {} {}", kv("file", l.file()), kv("error", err.getMessage()));
            problems.add(new ImportProblem(l.file(), 0, true, "the database rejected it: " + err.getMessage()));
            return n;
          })));
    }
    return chain;
  }

  private static Future<Void> write(SqlConnection tx, Leaflet l) {
    return tx.preparedQuery(CatalogueSql.FIND_LEAFLET_TARGET).execute(Tuple.of(l.registration(), l.name()))
        .compose(rows -> {
          if (rows.size() > 0) {
            Row r = rows.iterator().next();
            Tuple t = Tuple.of(r.getLong("id"), l.presentation());
            for (Section s : Section.values()) t.addString(l.section(s));
            return tx.preparedQuery(CatalogueSql.UPDATE_LEAFLET).execute(t).mapEmpty();
          }
          Tuple t = Tuple.of(l.name(), l.ingredients().toArray(String[]::new), l.registration(), "leaflet", l.presentation());
          for (Section s : Section.values()) t.addString(l.section(s));
          t.addString(null).addString(null).addString(null).addString(null).addArrayOfString(new String[0]);
          return tx.preparedQuery(CatalogueSql.INSERT_PRODUCT).execute(t).mapEmpty();
        });
  }
}
