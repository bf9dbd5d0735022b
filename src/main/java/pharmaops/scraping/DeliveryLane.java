package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One channel's queue on this node: deliveries wait here for the channel's token (shared by all nodes), new
 * items' first attempts ahead of retries, so a backlog of retries never delays a new task. A token is spent
 * only on a row this node could claim: when a claim fails (sent already, or another node holds it) the same
 * token goes to the next delivery. A delivery already queued is not queued twice (sweeps repeat).
 */
final class DeliveryLane {
  private record Entry(Distributor.Delivery delivery, Promise<Boolean> done) {}

  private final ClusterRate rate;
  private final Function<Distributor.Delivery, Future<Integer>> claim;
  private final BiFunction<Distributor.Delivery, Integer, Future<Boolean>> send;
  private final Queue<Entry> fresh = new ArrayDeque<>();
  private final Queue<Entry> retries = new ArrayDeque<>();
  private final Map<String, Promise<Boolean>> queued = new HashMap<>();
  private boolean pumping;

  /**
   * @param claim claims a ledger row: its attempt number, or null when it is not this node's to send
   * @param send  sends a claimed row and records the outcome; never fails
   */
  DeliveryLane(ClusterRate rate, Function<Distributor.Delivery, Future<Integer>> claim,
               BiFunction<Distributor.Delivery, Integer, Future<Boolean>> send) {
    this.rate = rate;
    this.claim = claim;
    this.send = send;
  }

  ClusterRate rate() {
    return rate;
  }

  /** Succeeds with true once this node sent it, false when it was not ours to send or the send failed. */
  Future<Boolean> offer(Distributor.Delivery d, boolean firstAttempt) {
    Promise<Boolean> p;
    synchronized (this) {
      Promise<Boolean> already = queued.get(d.key());
      if (already != null) return already.future();
      p = Promise.promise();
      queued.put(d.key(), p);
      (firstAttempt ? fresh : retries).add(new Entry(d, p));
    }
    pump();
    return p.future();
  }

  private void pump() {
    synchronized (this) {
      if (pumping || (fresh.isEmpty() && retries.isEmpty())) return;
      pumping = true;
    }
    rate.acquire().onComplete(ar -> withToken());
  }

  /** Holding a token: the first queued delivery this node can claim gets it. */
  private void withToken() {
    Entry e;
    synchronized (this) {
      e = fresh.isEmpty() ? retries.poll() : fresh.poll();
      if (e == null) {
        pumping = false;
        return;
      }
      queued.remove(e.delivery().key());
    }
    claim.apply(e.delivery()).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        e.done().complete(false);
        withToken();
        return;
      }
      send.apply(e.delivery(), ar.result()).onComplete(sent -> e.done().complete(sent.succeeded() && sent.result()));
      synchronized (this) {
        pumping = false;
      }
      pump();
    });
  }
}
