package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;
import pharmaops.search.imports.FirstStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Bula search: tracks the catalogue generation, fills an empty catalogue at first start, answers
 * {@code /api/v1/bulas} and the {@link SearchAddresses} on the event bus.
 */
public final class SearchModule implements Module {
  private static final Logger log = LoggerFactory.getLogger(SearchModule.class);
  private final Platform platform;
  private final SearchConfig config;
  private final Generation generation;
  private final BulaSearch search;
  private final SearchBus bus;
  private long indexTimer = -1;
  private boolean indexing;
  private io.vertx.core.eventbus.MessageConsumer<io.vertx.core.json.JsonObject> changes;

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
        .compose(v -> bus.start())
        .onSuccess(v -> startIndexing());
  }

  /**
   * Rows written without their search document (ERP syncs, manual SQL) are indexed every {@code indexIntervalMs}
   * and at once when a writer announces a change; one pass at a time per node.
   */
  private void startIndexing() {
    var vertx = platform.vertx();
    indexTimer = vertx.setPeriodic(config.indexIntervalMs(), t -> index());
    changes = vertx.eventBus().consumer(CatalogueEvents.CHANGED, m -> {
      if (!SearchIndex.SOURCE.equals(m.body().getString("source"))) index();
    });
  }

  private void index() {
    if (indexing) return;
    indexing = true;
    SearchIndex.catchUp(platform.vertx(), platform.pool())
        .onFailure(e -> log.warn("search indexing pass failed; the next one retries {}", kv("error", e.toString())))
        .onComplete(ar -> indexing = false);
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new SearchRoutes(search, config).mount(api, auth);
  }

  @Override
  public Future<?> stop() {
    if (indexTimer >= 0) platform.vertx().cancelTimer(indexTimer);
    Future<Void> unsubscribed = changes == null ? Future.succeededFuture() : changes.unregister();
    return unsubscribed.eventually(bus::stop).eventually(generation::stop);
  }
}
