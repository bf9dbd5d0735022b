package pharmaops.jobs;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.auth.Principal;
import pharmaops.auth.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class JobSubscriptionsTest {
  private final List<JsonObject> sent = new ArrayList<>();
  private final JobSubscriptions maria = new JobSubscriptions(new Principal("t1", "maria", Set.of(Role.ANALYST)),
      s -> sent.add(new JsonObject(s)));

  private static JsonObject event(long id, String owner, String state) {
    return JobEvent.of(id, "report.export", state, 0, 1, owner, null, null);
  }

  private static JsonObject job(long id, String owner, String state) {
    return new JsonObject().put("id", id).put("type", "report.export").put("state", state).put("progress", 40)
        .put("attempts", 1).put("owner", owner);
  }

  @Test
  void eventArrivingWhileTheSnapshotIsReadIsSentAfterIt() {
    assertThat(maria.begin(42)).isTrue();
    maria.event(event(42, "maria", "succeeded")); // the job finished after it was read, before the read came back
    maria.read(42, job(42, "maria", "running"));
    assertThat(sent).extracting(e -> e.getLong("subscribed"), e -> e.getString("state"))
        .containsExactly(tuple(42L, null), tuple(null, "running"), tuple(null, "succeeded"));
    maria.event(event(42, "maria", "dead"));
    assertThat(sent.get(sent.size() - 1).getString("state")).as("then live").isEqualTo("dead");
  }

  @Test
  void heldEventsOfSomeoneElsesJobAreDroppedWithTheSnapshot() {
    maria.begin(7);
    maria.event(event(7, "joao", "running"));
    maria.read(7, job(7, "joao", "running"));
    maria.event(event(7, "joao", "succeeded"));
    assertThat(sent).containsExactly(new JsonObject().put("error", "no job 7"));
  }

  @Test
  void secondSubscribeWhileReadingIsAnsweredByTheFirstRead() {
    assertThat(maria.begin(9)).isTrue();
    assertThat(maria.begin(9)).isFalse();
    maria.read(9, job(9, "maria", "queued"));
    assertThat(sent).hasSize(2);
  }

  @Test
  void mineSendsOnlyOwnJobsAndStopsWhenUnsubscribed() {
    maria.mine(true);
    maria.event(event(1, "maria", "running"));
    maria.event(event(2, "joao", "running"));
    maria.mine(false);
    maria.event(event(1, "maria", "succeeded"));
    assertThat(sent).extracting(e -> e.getLong("id")).containsExactly(null, 1L, null);
  }
}
