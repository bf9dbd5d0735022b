package pharmaops.jobs;

import io.vertx.core.json.JsonObject;
import pharmaops.auth.Principal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one job socket is subscribed to, and what it sends. A by-id subscription listens before it reads the
 * job: events of that job arriving while the read is under way are held and sent after the snapshot, so none
 * is lost and an older snapshot never follows a newer event. Events come on the watch's event loop, requests
 * on the socket's: every method is synchronized, and {@code out} must keep the order it is called in.
 */
final class JobSubscriptions {
  static final int MAX = 1000;
  private final Principal who;
  private final Consumer<String> out;
  private final Set<Long> ids = new HashSet<>();
  private final Map<Long, List<JsonObject>> reading = new HashMap<>();
  private boolean mine;

  JobSubscriptions(Principal who, Consumer<String> out) {
    this.who = who;
    this.out = out;
  }

  synchronized void mine(boolean on) {
    mine = on;
    out.accept(new JsonObject().put(on ? "subscribed" : "unsubscribed", "mine").encode());
  }

  /** Starts a by-id subscription; true when the caller must now read the job and pass it to {@link #read}. */
  synchronized boolean begin(long id) {
    if (reading.containsKey(id)) return false; // the read under way answers this request too
    if (!ids.contains(id) && ids.size() + reading.size() >= MAX) {
      out.accept(error("at most " + MAX + " subscriptions per connection"));
      return false;
    }
    ids.remove(id);
    reading.put(id, new ArrayList<>());
    return true;
  }

  /** The job as read after {@link #begin} (null: none, or the read failed). */
  synchronized void read(long id, JsonObject job) {
    List<JsonObject> held = reading.remove(id);
    if (held == null) return;
    if (job == null || !(who.isAdmin() || who.subject().equals(job.getString("owner")))) {
      out.accept(error("no job " + id)); // someone else's job does not exist for this caller
      return;
    }
    ids.add(id);
    out.accept(new JsonObject().put("subscribed", id).encode());
    out.accept(JobEvent.of(id, job.getString("type"), job.getString("state"), job.getInteger("progress"),
        job.getInteger("attempts"), job.getString("owner"), job.getJsonObject("details"), job.getString("error")).encode());
    held.forEach(e -> out.accept(e.encode()));
  }

  synchronized void unsubscribe(long id) {
    ids.remove(id);
    reading.remove(id);
    out.accept(new JsonObject().put("unsubscribed", id).encode());
  }

  synchronized void event(JsonObject e) {
    long id = e.getLong("id", -1L);
    List<JsonObject> held = reading.get(id);
    if (held != null) {
      held.add(e); // whose it is is known once the read is back
      return;
    }
    boolean own = who.subject().equals(e.getString("owner"));
    boolean byId = ids.contains(id);
    if ((own && (mine || byId)) || (who.isAdmin() && byId)) out.accept(e.encode());
  }

  static String error(String message) {
    return new JsonObject().put("error", message).encode();
  }
}
