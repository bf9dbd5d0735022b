package pharmaops.erp;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;

/** The ERP sync capability: the worker that polls the ERPs, its schedules, and the {@code /sync} API. */
public final class ErpModule implements Module {
  private final Platform platform;
  private final ErpConfig config;
  private String deployment;

  public ErpModule(Platform platform) {
    this.platform = platform;
    this.config = ErpConfig.from(platform.config());
  }

  @Override
  public String name() {
    return "erp";
  }

  @Override
  public Future<?> start() {
    return platform.vertx().deployVerticle(new SyncVerticle(platform, config, true),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("erp-sync").setWorkerPoolSize(2))
        .onSuccess(id -> deployment = id);
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new SyncRoutes(platform, config).mount(api, auth);
  }

  @Override
  public Future<?> stop() {
    return deployment == null ? Future.succeededFuture() : platform.vertx().undeploy(deployment);
  }
}
