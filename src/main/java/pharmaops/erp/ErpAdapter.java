package pharmaops.erp;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads one kind of ERP: how to ask for page {@code n} and how to turn its body into catalogue records.
 * Paging is by page number; the first page tells how many there are, so the rest can be fetched with
 * bounded concurrency. A new kind is its class, named in {@code permits} (the set of kinds stays closed and
 * visible here), plus one line in {@link #KINDS}; configuration validation and the sync read that map.
 */
public sealed interface ErpAdapter permits JsonRestAdapter, XmlFeedAdapter, CsvExportAdapter {

  /**
   * One parsed page.
   *
   * @param garbage    records that could not even be read (they go to the quarantine)
   * @param totalPages pages of this query, as the ERP reports them
   */
  record Page(List<ErpRecord> records, List<Rejected> garbage, int totalPages) {}

  /** The request for page {@code page} (0-based) of records changed since {@code since} (null = all). */
  HttpRequest<Buffer> request(WebClient client, int page, Instant since);

  /**
   * Parses a whole page. Throws when the page as a whole is unreadable (truncated, not XML...): the page is
   * then retried, unlike a bad record inside a good page, which is returned in {@link Page#garbage()}.
   */
  Page parse(Buffer body, MultiMap headers) throws Exception;

  /** Every kind, by the name {@code erp.sources[].kind} gives it. */
  Map<String, Function<ErpConfig.Source, ErpAdapter>> KINDS = Map.of(
      "json", JsonRestAdapter::new,
      "xml", XmlFeedAdapter::new,
      "csv", CsvExportAdapter::new);

  static ErpAdapter of(ErpConfig.Source source) {
    var kind = KINDS.get(source.kind());
    if (kind == null) throw new IllegalArgumentException("unknown ERP kind " + source.kind());
    return kind.apply(source);
  }
}
