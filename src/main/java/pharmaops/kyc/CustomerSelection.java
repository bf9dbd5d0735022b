package pharmaops.kyc;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The customers to check, as ids, a page at a time ({@link KycSql#SELECT_PAGE}). Pages follow the due-date index
 * with a (due date, id) keyset cursor, so the whole selection reads that index once whatever the page count.
 */
final class CustomerSelection {
  /** Position in the due-date index: everything up to and including (due, id) has been walked. */
  record Cursor(LocalDate due, long id) {
    static Cursor before(LocalDate day) {
      return new Cursor(day.minusDays(1), Long.MAX_VALUE);
    }
  }

  /**
   * @param ids    eligible customers of this page, in index order
   * @param walked index entries read (eligible or not); fewer than the page size means the window is exhausted
   * @param next   cursor after this page (null when nothing was walked)
   */
  record Page(List<Long> ids, int walked, Cursor next) {
    boolean last(int pageSize) {
      return walked < pageSize;
    }
  }

  private final SqlClient db;
  private final Timer timer;

  CustomerSelection(SqlClient db, Timer timer) {
    this.db = db;
    this.timer = timer;
  }

  /** Customers due in [from, until] whose status is one of {@code statuses}, after {@code after}. */
  Future<Page> page(LocalDate from, LocalDate until, List<String> statuses, Cursor after, int pageSize) {
    long t0 = System.nanoTime();
    return db.preparedQuery(KycSql.SELECT_PAGE)
        .execute(Tuple.of(from, until, statuses.toArray(String[]::new), after.due(), after.id(), pageSize))
        .map(rows -> {
          timer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
          Row r = rows.iterator().next();
          Long[] ids = r.getArrayOfLongs("ids");
          int walked = r.getLong("walked").intValue();
          Cursor next = walked == 0 ? null : new Cursor(r.getLocalDate("last_due"), r.getLong("last_id"));
          return new Page(ids == null ? List.of() : Arrays.asList(ids), walked, next);
        });
  }
}
