package pharmaops;

import pharmaops.platform.Platform;

import java.util.List;

/** The capabilities this node runs, in start order (auth is always first and is added by App). One line each. */
final class Modules {
  private Modules() {}

  static List<Module> all(Platform platform) {
    var jobs = new pharmaops.jobs.JobsModule(platform);
    return List.of(jobs, new pharmaops.search.SearchModule(platform), new pharmaops.reports.ReportsModule(platform, jobs));
  }
}
