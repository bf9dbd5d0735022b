package pharmaops.kyc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;

/** Prometheus counters of this node's KYC work (the run log in PostgreSQL holds the cluster-wide totals). */
final class KycMetrics {
  final Counter runs;
  final Counter selected;
  final Counter enqueued;
  final Timer page;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  KycMetrics(MeterRegistry registry) {
    runs = Counter.builder("pharmaops.kyc.runs").description("KYC runs whose fan-out completed").register(registry);
    selected = Counter.builder("pharmaops.kyc.customers.selected").description("customers selected for a reminder check")
        .register(registry);
    enqueued = Counter.builder("pharmaops.kyc.jobs.enqueued").description("customer jobs enqueued (new for the period)")
        .register(registry);
    page = Timer.builder("pharmaops.kyc.selection.page").description("one page of the selection query").register(registry);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, Counter.builder("pharmaops.kyc.reminders").tag("outcome", o.wire())
          .description("customer checks by outcome").register(registry));
    }
  }

  void outcome(Outcome o) {
    outcomes.get(o).increment();
  }
}
