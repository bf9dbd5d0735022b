package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import pharmaops.platform.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: engines on a node's platform (each as if another node), waiting on futures and job states. */
final class JobsSupport {
  /** Short leases and fast polls so expiry and retries happen within a test's patience. */
  static final JobsConfig FAST = new JobsConfig(200, 2, 1, 8, 0, 1, 60, 4, 168);
  private final Platform platform;
  private final List<JobsModule> modules = new ArrayList<>();

  JobsSupport(Platform platform) {
    this.platform = platform;
  }

  JobsModule engine(JobsConfig config) {
    JobsModule m = new JobsModule(platform, config);
    await(m.start());
    modules.add(m);
    return m;
  }

  void stopAll() {
    for (JobsModule m : modules) await(m.stop());
    modules.clear();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JsonObject job(long id) {
    return await(new JobStore(platform.vertx(), platform.pool()).get(id)).orElseThrow();
  }

  String state(long id) {
    return job(id).getString("state");
  }

  long count(String sql, Object... args) {
    return await(platform.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }
}
