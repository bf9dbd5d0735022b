package pharmaops.search.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.search.SearchIndex;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Imports ANVISA's medicines CSV: parsed off the event loop, then upserted by registration in batches of
 * {@value #BATCH} rows, one transaction (and one generation bump) per batch. A failing batch is reported
 * with its line range and the import goes on.
 */
public final class AnvisaImporter {
  private static final Logger log = LoggerFactory.getLogger(AnvisaImporter.class);
  public static final int BATCH = 1000;
  private final Vertx vertx;
  private final Pool pool;

  public AnvisaImporter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public Future<ImportReport> importFile(Path csv) {
    return vertx.executeBlocking(() -> {
      if (!Files.isRegularFile(csv)) throw new java.io.IOException("ANVISA CSV not found: " + csv.toAbsolutePath());
      try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        return AnvisaCsv.parse(in);
      }
    }).compose(parsed -> importParsed(csv.getFileName().toString(), parsed));
  }

  public Future<ImportReport> importParsed(String name, AnvisaCsv.Parsed parsed) {
    List<ImportProblem> problems = new ArrayList<>(parsed.problems());
    // The same registration twice in one statement would make the upsert fail: the later line wins.
    Map<String, AnvisaCsv.Row> unique = new LinkedHashMap<>();
    for (AnvisaCsv.Row r : parsed.rows()) {
      AnvisaCsv.Row earlier = unique.remove(r.registration());
      if (earlier != null) {
        problems.add(ImportProblem.warning(r.line(), "registration " + r.registration() + " also on line " + earlier.line()
            + "; this later line is the one imported"));
      }
      unique.put(r.registration(), r);
    }
    List<AnvisaCsv.Row> rows = new ArrayList<>(unique.values());
    AtomicInteger written = new AtomicInteger();
    AtomicLong generation = new AtomicLong();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < rows.size(); from += BATCH) {
      List<AnvisaCsv.Row> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
      chain = chain.compose(v -> CatalogueWrites.inTransaction(vertx, pool, "anvisa",
              tx -> tx.preparedQuery(CatalogueSql.UPSERT_ANVISA).execute(tuple(batch)).map(rs -> rs.rowCount()))
          .onSuccess(w -> {
            written.addAndGet(w.rows());
            if (w.generation() > 0) generation.set(w.generation());
          })
          .recover(err -> {
            problems.add(ImportProblem.rejected(batch.get(0).line(), "batch of lines " + batch.get(0).line() + "-"
                + batch.get(batch.size() - 1).line() + " failed and was not imported: " + err.getMessage()));
            return Future.succeededFuture();
          })
          .mapEmpty());
    }
    // Search documents once for the whole file (the indexer also merges the indexes' pending lists), then statistics.
    return chain.compose(v -> written.get() == 0 ? Future.succeededFuture()
            : SearchIndex.drain(vertx, pool).compose(x -> written.get() < BATCH ? Future.succeededFuture()
                : pool.query(CatalogueSql.ANALYZE).execute().<Void>mapEmpty().otherwiseEmpty()))
        .map(v -> {
      ImportReport report = new ImportReport("anvisa:" + name, parsed.rows().size() + (int) parsed.problems().stream()
          .filter(ImportProblem::rejected).count(), written.get(), generation.get(), List.copyOf(problems));
      log.info("ANVISA import done {} {} {} {} {}", kv("file", name), kv("read", report.read()), kv("written", report.written()),
          kv("rejected", report.rejected()), kv("generation", report.generation()));
      return report;
    });
  }

  private static Tuple tuple(List<AnvisaCsv.Row> batch) {
    int n = batch.size();
    String[] name = new String[n], ingredients = new String[n], manufacturer = new String[n], cnpj = new String[n],
        registration = new String[n], category = new String[n], therapeuticClass = new String[n], status = new String[n];
    LocalDate[] expires = new LocalDate[n];
    for (int i = 0; i < n; i++) {
      AnvisaCsv.Row r = batch.get(i);
      name[i] = r.name();
      ingredients[i] = String.join(CatalogueSql.SEP, r.ingredients());
      manufacturer[i] = r.manufacturer();
      cnpj[i] = r.cnpj();
      registration[i] = r.registration();
      category[i] = r.category();
      therapeuticClass[i] = r.therapeuticClass();
      status[i] = r.status();
      expires[i] = r.expires();
    }
    return Tuple.tuple().addArrayOfString(name).addArrayOfString(ingredients).addArrayOfString(manufacturer)
        .addArrayOfString(cnpj).addArrayOfString(registration).addArrayOfString(category)
        .addArrayOfString(therapeuticClass).addArrayOfString(status).addArrayOfLocalDate(expires);
  }
}
