package pharmaops.erp;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.jobs.JobQueue;
import pharmaops.platform.Platform;

/** The ERP sync capability: the worker that polls the ERPs, the sync job and its schedules, the {@code /sync} API. */
public final class ErpModule implements Module {
  private final Platform platform;
  private final ErpConfig config;
  private final SyncJobs jobs;
  private String deployment;

  public ErpModule(Platform platform, JobQueue queue) {
    this.platform = platform;
    this.config = ErpConfig.from(platform.config());
    this.jobs = new SyncJobs(platform, config, queue);
  }

  @Override
  public String name() {
    return "erp";
  }

  @Override
  public Future<?> start() {
    return platform.vertx().deployVerticle(new SyncVerticle(platform, config), syncDeployment())
        .onSuccess(id -> {
          deployment = id;
          jobs.start();
        });
  }

  /** How the sync verticle runs: on an event loop, parsing pages on a worker pool of its own (two threads). */
  public static DeploymentOptions syncDeployment() {
    return new DeploymentOptions().setWorkerPoolName("erp-sync").setWorkerPoolSize(2);
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new SyncRoutes(platform, config, jobs).mount(api, auth);
  }

  @Override
  public Future<?> stop() {
    return deployment == null ? Future.succeededFuture() : platform.vertx().undeploy(deployment);
  }
}
