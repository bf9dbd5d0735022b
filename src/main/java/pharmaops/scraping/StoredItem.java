package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;

/** An item as kept in history; {@link #toJson()} is both the API shape and the {@code scraping.item.new} body. */
public record StoredItem(long id, long sourceId, String title, String body, String link, Instant postedAt,
                         Instant firstSeenAt, int version) {

  static StoredItem from(Row r, String idColumn) {
    OffsetDateTime posted = r.getOffsetDateTime("posted_at");
    return new StoredItem(r.getLong(idColumn), r.getLong("source_id"), r.getString("title"), r.getString("body"),
        r.getString("link"), posted == null ? null : posted.toInstant(), r.getOffsetDateTime("first_seen_at").toInstant(),
        r.getInteger("version"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("sourceId", sourceId).put("title", title).put("body", body)
        .put("link", link).put("postedAt", postedAt == null ? null : postedAt.toString())
        .put("firstSeenAt", firstSeenAt.toString()).put("version", version);
  }
}
