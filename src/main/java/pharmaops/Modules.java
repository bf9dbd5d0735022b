package pharmaops;

import pharmaops.platform.AppConfig;
import pharmaops.platform.Platform;

import java.util.List;
import java.util.function.Consumer;

/** The capabilities this node runs, in start order (auth is always first and is added by App). One line each. */
final class Modules {
  private Modules() {}

  static List<Module> all(Platform platform) {
    var jobs = new pharmaops.jobs.JobsModule(platform);
    return List.of(jobs,
        new pharmaops.search.SearchModule(platform),
        new pharmaops.reports.ReportsModule(platform, jobs),
        new pharmaops.erp.ErpModule(platform, jobs.queue()),
        new pharmaops.kyc.KycModule(platform, jobs.queue()),
        new pharmaops.scraping.ScrapingModule(platform, jobs.queue()));
  }

  /**
   * Each capability's own validation of its section, one line each. App runs them all before it starts any server,
   * so a bad value fails in a second, with every problem listed, instead of after PostgreSQL and the migrations.
   */
  static List<Consumer<AppConfig>> configChecks() {
    return List.of(
        c -> pharmaops.jobs.JobsConfig.from(c.section("jobs")),
        c -> pharmaops.search.SearchConfig.from(c),
        c -> pharmaops.reports.ReportsConfig.from(c.section("reports")),
        c -> pharmaops.erp.ErpConfig.from(c),
        c -> pharmaops.kyc.KycConfig.from(c),
        c -> pharmaops.scraping.ScrapingConfig.from(c));
  }

  /** The module whose stop drains running work (jobs); App runs it alongside the HTTP drain, not after it. */
  static boolean drainsWork(Module m) {
    return m instanceof pharmaops.jobs.JobsModule;
  }
}
