package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;
import pharmaops.search.imports.FirstStart;

/**
 * Bula search: tracks the catalogue generation, fills an empty catalogue at first start, answers
 * {@code /api/v1/bulas} and the {@link SearchAddresses} on the event bus.
 */
public final class SearchModule implements Module {
  private final Platform platform;
  private final SearchConfig config;
  private final Generation generation;
  private final BulaSearch search;
  private final SearchBus bus;

  public SearchModule(Platform platform) {
    this.platform = platform;
    this.config = SearchConfig.from(platform.config());
    this.generation = new Generation(platform.vertx(), platform.pool(), config.generationCheckSeconds() * 1000L);
    this.search = new BulaSearch(platform.vertx(), platform.pool(), platform.cache(), generation, config, platform.metrics());
    this.bus = new SearchBus(platform.vertx(), search, config);
  }

  @Override
  public String name() {
    return "search";
  }

  /** The search service, for other modules of this node that want results without the event bus. */
  public BulaSearch search() {
    return search;
  }

  @Override
  public Future<?> start() {
    return generation.start()
        .compose(v -> FirstStart.fill(platform.vertx(), platform.pool(), platform.config().demo()))
        .compose(v -> generation.refresh())
        .compose(v -> bus.start());
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new SearchRoutes(search, config).mount(api, auth);
  }

  @Override
  public Future<?> stop() {
    return bus.stop().eventually(generation::stop);
  }
}
