package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestServices;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The batched upsert alone, against PostgreSQL: merge precedence, EAN matching, exact counts, quarantine. */
class CatalogueUpsertIT {
  static Vertx vertx;
  static Pool pool;
  static CatalogueUpsert upsert;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestServices.freshDatabase()).setUser("postgres"))
        .using(vertx).build();
    upsert = new CatalogueUpsert(pool);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Product p(String id, String name, String registration, String... eans) {
    return new Product(id, name, registration, List.of(eans), "LAB " + name, null, List.of("dipirona"), "SIMILAR", null,
        "VÁLIDO", "CX " + name, Instant.EPOCH);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static CatalogueUpsert.Counts write(String source, int rank, Product... products) throws Exception {
    return await(upsert.write(source, rank, 1, List.of(products), List.of()));
  }

  static String row(String where) throws Exception {
    var rows = await(pool.query("SELECT name, source, registration, eans, presentation FROM bula WHERE " + where).execute());
    assertThat(rows.size()).as(where).isEqualTo(1);
    Row r = rows.iterator().next();
    return r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|" + List.of(r.getArrayOfStrings(3)) + "|" + r.getString(4);
  }

  @Test
  void theMergedRowIsTheSameWhicheverErpWritesFirst() throws Exception {
    // product 1: the lower-precedence ERP first; product 2: the higher-precedence ERP first
    write("beta", 20, p("b1", "BETA", "111111111", "7891106000956"));
    write("alpha", 10, p("a1", "ALPHA", "111111111", "96385074"));
    write("alpha", 10, p("a2", "ALPHA", "222222222", "96385074"));
    write("beta", 20, p("b2", "BETA", "222222222", "7891106000956"));
    assertThat(row("registration = '111111111'")).isEqualTo("ALPHA|alpha|111111111|[7891106000956, 96385074]|CX ALPHA");
    assertThat(row("registration = '222222222'")).isEqualTo("ALPHA|alpha|222222222|[7891106000956, 96385074]|CX ALPHA");
  }

  @Test
  void equalPrioritiesAreBrokenByTheErpName() throws Exception {
    write("zeta", 10, p("z", "ZETA", "333333333"));
    write("eta", 10, p("e", "ETA", "333333333"));
    write("zeta", 10, p("z", "ZETA 2", "333333333"));
    assertThat(row("registration = '333333333'")).startsWith("ETA|eta|");
  }

  @Test
  void aProductKnownOnlyByEanJoinsTheRegisteredRowCarryingThatEan() throws Exception {
    String ean = SimCatalogue.ean13("789000000004");
    write("alpha", 10, p("a", "REG", "444444444", ean));
    var c = write("beta", 20, p("b", "EAN ONLY", null, ean));
    assertThat(c).isEqualTo(new CatalogueUpsert.Counts(0, 0, 1, 0));
    assertThat(count("'" + ean + "' = ANY(eans)")).isEqualTo(1);
  }

  @Test
  void aRegistrationAdoptsTheRowSoFarKnownOnlyByItsEan() throws Exception {
    String ean = SimCatalogue.ean13("789000000005");
    assertThat(write("beta", 20, p("b", "EAN ONLY", null, ean))).isEqualTo(new CatalogueUpsert.Counts(1, 0, 0, 0));
    assertThat(write("alpha", 10, p("a", "REG", "555555555", ean))).isEqualTo(new CatalogueUpsert.Counts(0, 1, 0, 0));
    assertThat(row("'" + ean + "' = ANY(eans)")).startsWith("REG|alpha|555555555|");
  }

  @Test
  void eanOnlyRecordsEndInTheSameCatalogueWhicheverErpSendsFirst() throws Exception {
    String e1 = SimCatalogue.ean13("789000000101");
    String e2 = SimCatalogue.ean13("789000000102");
    String both = "'" + e1 + "' = ANY(eans) OR '" + e2 + "' = ANY(eans)";
    // alpha knows the product by its second EAN only, beta by both
    write("alpha", 10, p("a", "ALPHA", null, e2));
    write("beta", 20, p("b", "BETA", null, e1, e2));
    String alphaFirst = catalogue(both);
    await(pool.query("DELETE FROM bula WHERE " + both).execute());
    write("beta", 20, p("b", "BETA", null, e1, e2));
    write("alpha", 10, p("a", "ALPHA", null, e2));
    String betaFirst = catalogue(both);
    assertThat(alphaFirst).isEqualTo("ALPHA|alpha||[" + e1 + ", " + e2 + "]|ean:" + e1);
    assertThat(betaFirst).isEqualTo(alphaFirst);
  }

  @Test
  void eanOnlyRecordsOfOneBatchSharingAnEanShareOneRowWhateverTheirOrder() throws Exception {
    String e1 = SimCatalogue.ean13("789000000111");
    String e2 = SimCatalogue.ean13("789000000112");
    String e3 = SimCatalogue.ean13("789000000113");
    String any = "eans && ARRAY['" + e1 + "', '" + e2 + "', '" + e3 + "']";
    var c = write("beta", 20, p("x", "X", null, e3), p("y", "Y", null, e2, e3), p("z", "Z", null, e1, e2));
    assertThat(c).isEqualTo(new CatalogueUpsert.Counts(1, 0, 2, 0));
    String forward = catalogue(any);
    await(pool.query("DELETE FROM bula WHERE " + any).execute());
    write("beta", 20, p("z", "Z", null, e1, e2), p("y", "Y", null, e2, e3), p("x", "X", null, e3));
    assertThat(catalogue(any)).isEqualTo(forward).endsWith("|[" + e1 + ", " + e2 + ", " + e3 + "]|ean:" + e1);
  }

  @Test
  void aRegistrationAdoptsTheEanOnlyRowCarryingAnyOfItsEansNotOnlyItsKey() throws Exception {
    String e1 = SimCatalogue.ean13("789000000121");
    String e2 = SimCatalogue.ean13("789000000122");
    write("beta", 20, p("b", "EAN ONLY", null, e1, e2)); // keyed ean:e1
    assertThat(write("alpha", 10, p("a", "REG", "777777771", e2))).isEqualTo(new CatalogueUpsert.Counts(0, 1, 0, 0));
    assertThat(catalogue("'" + e2 + "' = ANY(eans)")).isEqualTo("REG|alpha|777777771|[" + e1 + ", " + e2 + "]|777777771");
  }

  @Test
  void aUniqueViolationFromAConcurrentRegistrationIsRetriedAndTheBatchSucceeds() throws Exception {
    String ean = SimCatalogue.ean13("789000000131");
    write("beta", 20, p("b", "EAN ONLY", null, ean));
    // another writer creates the registered row and has not committed when this batch adopts the EAN-only row
    SqlConnection other = await(pool.getConnection());
    try {
      var tx = await(other.begin());
      await(other.query("INSERT INTO bula (name, registration, source) VALUES ('OTHER', '777777772', 'anvisa')").execute());
      Future<CatalogueUpsert.Counts> batch = upsert.write("alpha", 10, 1, List.of(p("a", "REG", "777777772", ean)), List.of());
      for (int i = 0; i < 200 && !blockedOnALock(); i++) Thread.sleep(50);
      assertThat(blockedOnALock()).as("the batch waits for the other writer").isTrue();
      await(tx.commit());
      assertThat(await(batch)).isEqualTo(new CatalogueUpsert.Counts(0, 1, 0, 0));
    } finally {
      other.close();
    }
    assertThat(row("registration = '777777772'")).isEqualTo("REG|alpha|777777772|[" + ean + "]|CX REG");
  }

  private static boolean blockedOnALock() throws Exception {
    return await(pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE bula SET registration%'").execute()).iterator().next().getLong(0) > 0;
  }

  /** name|source|registration|eans|match_key of the rows matching {@code where}, by key. */
  static String catalogue(String where) throws Exception {
    return await(pool.query("SELECT string_agg(name || '|' || source || '|' || coalesce(registration, '') || '|' || eans::text"
        + " || '|' || match_key, ' ; ' ORDER BY match_key) FROM bula WHERE " + where).execute()).iterator().next().getString(0)
        .replace("{", "[").replace("}", "]").replace(",", ", ");
  }

  @Test
  void countsAreExactAndUnchangedRowsAreNotRewritten() throws Exception {
    Product x = p("1", "X", "666666661");
    Product y = p("2", "Y", "666666662");
    Product z = p("3", "Z", "666666663");
    assertThat(write("alpha", 10, x, y, z)).isEqualTo(new CatalogueUpsert.Counts(3, 0, 0, 0));
    String before = await(pool.query("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM bula WHERE registration LIKE '66666666_'")
        .execute()).iterator().next().getString(0);
    assertThat(write("alpha", 10, x, y, z)).isEqualTo(new CatalogueUpsert.Counts(0, 0, 3, 0));
    String after = await(pool.query("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM bula WHERE registration LIKE '66666666_'")
        .execute()).iterator().next().getString(0);
    assertThat(after).as("no row version was written").isEqualTo(before);
    // a changed record, plus a duplicate of another within the batch
    assertThat(write("alpha", 10, p("1", "X CHANGED", "666666661"), y, y)).isEqualTo(new CatalogueUpsert.Counts(0, 1, 2, 0));
  }

  @Test
  void rejectedRecordsAreQuarantinedOncePerRecordAndReason() throws Exception {
    var r = new Rejected("k1", "missing name", "{\"id\": \"k1\"}");
    var c = await(upsert.write("gamma", 30, 7, List.of(), List.of(r, r)));
    assertThat(c.quarantined()).isEqualTo(2);
    await(upsert.write("gamma", 30, 8, List.of(), List.of(r)));
    var rows = await(pool.preparedQuery("SELECT run_id, raw FROM erp_quarantine WHERE source = $1").execute(Tuple.of("gamma")));
    assertThat(rows.size()).isEqualTo(1);
    assertThat(rows.iterator().next().getLong(0)).isEqualTo(8);
  }

  static long count(String where) throws Exception {
    return await(pool.query("SELECT count(*) FROM bula WHERE " + where).execute()).iterator().next().getLong(0);
  }
}
