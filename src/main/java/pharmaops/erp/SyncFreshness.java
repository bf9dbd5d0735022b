package pharmaops.erp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pharmaops_erp_data_age_seconds{source}}: seconds since each ERP's last complete sync (since it was
 * configured, when it never completed one), so dashboards and alert rules see staleness per ERP without waiting
 * for the freshness alert. Read from the database, so every node reports the cluster-wide truth.
 */
final class SyncFreshness {
  static final String AGES = "SELECT source, extract(epoch FROM now() - COALESCE(last_success_at, created_at))::float8 AS age"
      + " FROM erp_source_state WHERE source = ANY($1::text[])";
  private final Pool pool;
  private final List<String> sources;
  private final Map<String, Double> ages = new ConcurrentHashMap<>();

  SyncFreshness(Pool pool, List<String> sources, MeterRegistry registry) {
    this.pool = pool;
    this.sources = sources;
    for (String s : sources) {
      Gauge.builder("pharmaops.erp.data.age", ages, m -> m.getOrDefault(s, Double.NaN)).baseUnit("seconds")
          .description("Seconds since the ERP's last complete sync").tag("source", s).register(registry);
    }
  }

  Future<Void> refresh() {
    if (sources.isEmpty()) return Future.succeededFuture();
    return pool.preparedQuery(AGES).execute(Tuple.of(sources.toArray(String[]::new)))
        .onSuccess(rows -> rows.forEach(r -> ages.put(r.getString("source"), r.getDouble("age"))))
        .mapEmpty();
  }
}
