package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * History of items. One transaction per scrape (serialised per source by an advisory lock, so a manual and a
 * scheduled run cannot both call one item new): known fingerprints are only touched; an unknown fingerprint
 * under a known identity is a new version; under an unknown identity a new item, whose ledger rows (one per
 * channel and recipient) are written in the same transaction, so an item is never new without its deliveries.
 */
final class ItemStore {
  record Outcome(List<StoredItem> created, int edited) {}

  private final Pool pool;

  ItemStore(Pool pool) {
    this.pool = pool;
  }

  Future<Outcome> record(long sourceId, List<ScrapedItem> items, JsonArray channels) {
    Map<String, ScrapedItem> byPrint = new LinkedHashMap<>();
    for (ScrapedItem i : items) byPrint.putIfAbsent(Fingerprints.of(i), i);
    Map<String, Integer> linkUses = new HashMap<>();
    for (ScrapedItem i : byPrint.values()) if (i.link() != null) linkUses.merge(Fingerprints.identity(i, false), 1, Integer::sum);
    Map<ScrapedItem, String> identity = new HashMap<>();
    for (ScrapedItem i : byPrint.values()) {
      identity.put(i, Fingerprints.identity(i, linkUses.getOrDefault(Fingerprints.identity(i, false), 0) > 1));
    }
    if (byPrint.isEmpty()) return Future.succeededFuture(new Outcome(List.of(), 0));
    String[] prints = byPrint.keySet().toArray(String[]::new);
    List<String> chans = new ArrayList<>();
    List<String> recipients = new ArrayList<>();
    for (Object o : channels) {
      JsonObject c = (JsonObject) o;
      for (Object r : c.getJsonArray("recipients")) {
        chans.add(c.getString("type"));
        recipients.add((String) r);
      }
    }
    return pool.withTransaction(conn -> conn.preparedQuery(ScrapingSql.LOCK_SOURCE).execute(Tuple.of(sourceId))
        .compose(v -> conn.preparedQuery(ScrapingSql.KNOWN_FINGERPRINTS).execute(Tuple.of(sourceId).addArrayOfString(prints)))
        .compose(rs -> {
          Set<String> known = new HashSet<>();
          rs.forEach(r -> known.add(r.getString(0)));
          List<StoredItem> created = new ArrayList<>();
          int[] edited = {0};
          Future<?> chain = known.isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery(ScrapingSql.TOUCH_SEEN).execute(Tuple.of(sourceId).addArrayOfString(known.toArray(String[]::new)));
          Set<String> identities = new HashSet<>();
          for (var e : byPrint.entrySet()) {
            String id = identity.get(e.getValue());
            if (known.contains(e.getKey()) || !identities.add(id)) continue;
            chain = chain.compose(v -> one(conn, sourceId, e.getKey(), id, e.getValue(), chans, recipients)
                .onSuccess(r -> {
                  if (r.version() == 1) created.add(r);
                  else edited[0]++;
                }));
          }
          return chain.map(v -> new Outcome(created, edited[0]));
        }));
  }

  /** Newest first, keyset-paged by id; {@code q} matches title and body ignoring case and accents. */
  Future<List<StoredItem>> page(Long before, Long sourceId, String q, int size) {
    return pool.preparedQuery(ScrapingSql.ITEMS_PAGE).execute(Tuple.of(before, sourceId, q, size)).map(rs -> {
      List<StoredItem> out = new ArrayList<>();
      rs.forEach(r -> out.add(StoredItem.from(r, "id")));
      return out;
    });
  }

  private Future<StoredItem> one(SqlConnection conn, long sourceId, String print, String identity, ScrapedItem i,
                                 List<String> chans, List<String> recipients) {
    var posted = i.postedAt() == null ? null : i.postedAt().atOffset(ZoneOffset.UTC);
    Tuple args = Tuple.of(sourceId, identity, Extract.clip(i.title(), 2000), Extract.clip(i.body(), 20_000),
        i.link(), posted, print);
    return conn.preparedQuery(ScrapingSql.ITEM_INSERT).execute(args).compose(rs -> {
      boolean isNew = rs.size() == 1;
      Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> row = isNew ? Future.succeededFuture(rs)
          : conn.preparedQuery(ScrapingSql.ITEM_EDIT).execute(args);
      return row.map(r -> r.iterator().next()).compose(r -> {
        long id = r.getLong("id");
        int version = r.getInteger("version");
        StoredItem stored = new StoredItem(id, sourceId, args.getString(2), args.getString(3), i.link(), i.postedAt(),
            r.getOffsetDateTime("first_seen_at").toInstant(), version);
        Future<?> v = conn.preparedQuery(ScrapingSql.VERSION_INSERT)
            .execute(Tuple.of(id, version, sourceId, print, args.getString(2), args.getString(3), posted));
        if (isNew && !chans.isEmpty()) {
          v = v.compose(x -> conn.preparedQuery(ScrapingSql.LEDGER_INSERT)
              .execute(Tuple.of(id, chans.toArray(String[]::new), recipients.toArray(String[]::new))));
        }
        return v.map(stored);
      });
    });
  }
}
