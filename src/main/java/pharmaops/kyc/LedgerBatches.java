package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two statements every reminder job runs, each shared by the jobs running at the same time ({@link Batcher}):
 * the check that loads a customer's pending documents and claims the period's reminder ({@link KycSql#CHECK}),
 * and the mark that records it sent ({@link KycSql#MARK_SENT}). Their pool should plan them for every execution
 * (see KycModule): the ledger grows from empty to 100,000 rows within one run, and a plan cached while it was
 * small (a sequential scan of the ledger per sent-mark) made marking reminders sent cost O(reminders so far).
 */
final class LedgerBatches {
  static final int CHECKS_IN_FLIGHT = 4;
  static final int MARKS_IN_FLIGHT = 2;
  /** Connections a pool for these statements needs: one per statement that may be in flight. */
  static final int CONNECTIONS = CHECKS_IN_FLIGHT + MARKS_IN_FLIGHT;

  record Check(long customerId, String period, Long runId, String key) {}

  /** Pending documents (empty: nothing pending, or no such customer) and whether this check claimed the reminder. */
  record Checked(String email, String name, String[] pending, boolean claimed) {}

  record Mark(long customerId, String period, Long runId) {}

  private final Pool pool;
  private final String channel;
  private final Batcher<Check, Checked> checks;
  private final Batcher<Mark, Boolean> marks;

  LedgerBatches(Vertx vertx, Pool pool, String channel) {
    this.pool = pool;
    this.channel = channel;
    this.checks = new Batcher<>(vertx, CHECKS_IN_FLIGHT, Check::customerId, this::checkAll);
    this.marks = new Batcher<>(vertx, MARKS_IN_FLIGHT, Mark::customerId, this::markAll);
  }

  Future<Checked> check(Check c) {
    return checks.submit(c);
  }

  /** True when this marked the reminder sent, false when it was sent already. */
  Future<Boolean> markSent(Mark m) {
    return marks.submit(m);
  }

  private Future<Map<Long, Checked>> checkAll(List<Check> batch) {
    int n = batch.size();
    Long[] customers = new Long[n];
    String[] periods = new String[n];
    Long[] runs = new Long[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      Check c = batch.get(i);
      customers[i] = c.customerId();
      periods[i] = c.period();
      runs[i] = c.runId();
      keys[i] = c.key();
    }
    return pool.preparedQuery(KycSql.CHECK).execute(Tuple.of(customers, periods, runs, keys, channel)).map(rows -> {
      Map<Long, Checked> out = new HashMap<>();
      for (Row row : rows) {
        String[] pending = row.getArrayOfStrings("pending");
        out.put(row.getLong("customer_id"), new Checked(row.getString("email"), row.getString("name"),
            pending == null ? new String[0] : pending, row.getBoolean("claimed")));
      }
      return out;
    });
  }

  private Future<Map<Long, Boolean>> markAll(List<Mark> batch) {
    int n = batch.size();
    Long[] runs = new Long[n];
    Long[] customers = new Long[n];
    String[] periods = new String[n];
    for (int i = 0; i < n; i++) {
      Mark m = batch.get(i);
      runs[i] = m.runId();
      customers[i] = m.customerId();
      periods[i] = m.period();
    }
    return pool.preparedQuery(KycSql.MARK_SENT).execute(Tuple.of(runs, customers, periods)).map(rows -> {
      Map<Long, Boolean> out = new HashMap<>();
      for (Row row : rows) out.put(row.getLong("customer_id"), row.getBoolean("marked"));
      return out;
    });
  }
}
