package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.jobs.JobType;
import pharmaops.jobs.JobsModule;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.nio.file.Path;
import java.time.Duration;

/** Report exports on the shared job engine: the export and cleanup job types, their schedule, and the API. */
public final class ReportsModule implements Module {
  static final String CLEANUP = "report.cleanup";
  private final Platform platform;
  private final JobsModule jobs;
  private final ReportsConfig config;
  private final ReportTypes types = ReportTypes.standard();
  private final ReportFiles files;

  public ReportsModule(Platform platform, JobsModule jobs) {
    this.platform = platform;
    this.jobs = jobs;
    this.config = ReportsConfig.from(platform.config().section("reports"));
    Path dir = Path.of(config.storageDir());
    this.files = new ReportFiles(platform.vertx(), dir.isAbsolute() ? dir : platform.config().dataDir().resolve(dir),
        Duration.ofHours(config.retentionHours()));
  }

  @Override
  public String name() {
    return "reports";
  }

  @Override
  public Future<?> start() {
    var queue = jobs.queue();
    queue.register(JobType.of(ExportHandler.TYPE).maxAttempts(3).timeout(Duration.ofHours(2)).concurrency(config.concurrency()),
        new ExportHandler(platform.vertx(), platform.pool(), types, files, config.chunkSize()));
    queue.register(JobType.of(CLEANUP).maxAttempts(2).concurrency(1), job -> files.cleanup());
    queue.schedule("reports-cleanup", config.cleanupCron(), () -> NewJob.of(CLEANUP, new JsonObject()));
    return files.ensureDir();
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new ReportRoutes(jobs.queue(), jobs.store(), jobs.watch(), types, files, config.maxWaitSeconds()).mount(api, root, auth);
  }
}
