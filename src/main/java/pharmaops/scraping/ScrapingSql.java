package pharmaops.scraping;

/** Every statement of the scraping capability, in one place. */
final class ScrapingSql {
  private ScrapingSql() {}

  static final String PAGE_GET = "SELECT etag, last_modified FROM scraping_page WHERE source_id = $1 AND url = $2";
  static final String PAGE_PUT = """
      INSERT INTO scraping_page (source_id, url, etag, last_modified) VALUES ($1, $2, $3, $4)
      ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = now()""";

  // -- sources
  private static final String SOURCE_COLUMNS = """
      id, name, url, kind, schedule, rate_per_second, max_concurrency, max_pages, respect_robots, selectors,
      channels, enabled, origin""";
  static final String SOURCE_UPSERT_CONFIG = """
      INSERT INTO scraping_source (name, url, kind, schedule, interval_ms, rate_per_second, max_concurrency, max_pages,
                                   respect_robots, selectors, channels, enabled, origin)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'config')
      ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind, schedule = excluded.schedule,
        interval_ms = excluded.interval_ms, rate_per_second = excluded.rate_per_second,
        max_concurrency = excluded.max_concurrency, max_pages = excluded.max_pages, respect_robots = excluded.respect_robots,
        selectors = excluded.selectors, channels = excluded.channels, enabled = excluded.enabled, origin = 'config'
      RETURNING id""";
  static final String SOURCE_INSERT = """
      INSERT INTO scraping_source (name, url, kind, schedule, interval_ms, rate_per_second, max_concurrency, max_pages,
                                   respect_robots, selectors, channels, enabled, origin)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'api')
      ON CONFLICT (name) DO NOTHING RETURNING id""";
  static final String SOURCE_GET = "SELECT " + SOURCE_COLUMNS + " FROM scraping_source WHERE id = $1";
  static final String SOURCE_LIST = """
      SELECT s.id, s.name, s.url, s.kind, s.schedule, s.enabled, s.ever_had_items, s.empty_alerted,
             r.id AS run_id, r.started_at, r.finished_at, r.status, r.pages, r.items_found, r.items_new, r.items_edited,
             r.item_errors, r.bytes, r.error
      FROM scraping_source s
      LEFT JOIN LATERAL (SELECT * FROM scraping_run WHERE source_id = s.id ORDER BY id DESC LIMIT 1) r ON true
      WHERE $1::bigint IS NULL OR s.id = $1
      ORDER BY s.id""";
  static final String SOURCE_UPDATE = """
      UPDATE scraping_source SET name = $2, url = $3, kind = $4, schedule = $5, interval_ms = $6::bigint, rate_per_second = $7,
        max_concurrency = $8, max_pages = $9, respect_robots = $10, selectors = $11, channels = $12, enabled = $13,
        next_run_at = LEAST(next_run_at, now() + $6::bigint * interval '1 millisecond')
      WHERE id = $1 AND origin = 'api' RETURNING id""";
  static final String SOURCE_ORIGIN = "SELECT origin FROM scraping_source WHERE id = $1 FOR UPDATE";
  static final String SOURCE_DISABLE = "UPDATE scraping_source SET enabled = false WHERE id = $1 AND origin = 'api'";
  /** Configured sources no longer in the configuration stop (their history stays). */
  static final String SOURCES_DISABLE_UNCONFIGURED = """
      UPDATE scraping_source SET enabled = false WHERE origin = 'config' AND enabled AND NOT (name = ANY($1)) RETURNING name""";
  /** New selectors must see the page again, not a 304 for the version parsed with the old ones. */
  static final String PAGES_FORGET = "DELETE FROM scraping_page WHERE source_id = $1";
  /** The same for a configured source ($1 name) whose URL, kind or options ($2-$4) the configuration changed. */
  static final String PAGES_FORGET_IF_CHANGED = """
      DELETE FROM scraping_page p USING scraping_source s
      WHERE p.source_id = s.id AND s.name = $1 AND (s.url, s.kind, s.selectors) IS DISTINCT FROM ($2, $3, $4::jsonb)""";
  /**
   * The scheduler's guard: claims the due slot of each source for exactly one node, skipping sources whose
   * run is going. The lease ($1 ms, token $2) only has to last until the scrape job starts and renews it with
   * {@link #SOURCE_RUN_CLAIM}, so a job that is lost before it starts holds the source that long, no longer.
   */
  static final String SOURCES_CLAIM_DUE = "UPDATE scraping_source SET next_run_at = now() + interval_ms * interval '1 millisecond',"
      + " running_until = now() + $1 * interval '1 millisecond', run_lease = $2"
      + " WHERE enabled AND next_run_at <= now() AND (running_until IS NULL OR running_until < now()) RETURNING " + SOURCE_COLUMNS;
  /** A run takes the lease (token $2, for $3 ms) if it is free, lapsed, or already its own (a scheduled run's). */
  static final String SOURCE_RUN_CLAIM = """
      UPDATE scraping_source SET running_until = now() + $3 * interval '1 millisecond', run_lease = $2
      WHERE id = $1 AND (running_until IS NULL OR running_until < now() OR run_lease = $2) RETURNING id""";
  /** Only the lease's holder clears it. */
  static final String SOURCE_RUN_DONE = "UPDATE scraping_source SET running_until = NULL, run_lease = NULL WHERE id = $1 AND run_lease = $2";
  /** Remembers whether the source ever had items; alert is true once, on the first empty run after items. */
  static final String SOURCE_MARK_ITEMS = """
      WITH prev AS (SELECT ever_had_items, empty_alerted FROM scraping_source WHERE id = $1 FOR UPDATE)
      UPDATE scraping_source s SET ever_had_items = prev.ever_had_items OR $2 > 0,
        empty_alerted = CASE WHEN $2 > 0 THEN false ELSE prev.empty_alerted OR prev.ever_had_items END
      FROM prev WHERE s.id = $1
      RETURNING (prev.ever_had_items AND $2 = 0 AND NOT prev.empty_alerted) AS alert""";

  static final String RUN_INSERT = """
      INSERT INTO scraping_run (source_id, started_at, status, pages, items_found, items_new, items_edited, item_errors, bytes, error)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id""";

  // -- items
  static final String LOCK_SOURCE = "SELECT pg_advisory_xact_lock(6060, $1::int)";
  static final String KNOWN_FINGERPRINTS = "SELECT fingerprint FROM scraping_item_version WHERE source_id = $1 AND fingerprint = ANY($2)";
  static final String TOUCH_SEEN = """
      UPDATE scraping_item SET last_seen_at = now() WHERE source_id = $1 AND fingerprint = ANY($2)""";
  static final String ITEM_INSERT = """
      INSERT INTO scraping_item (source_id, identity, title, body, link, posted_at, fingerprint)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_id, identity) DO NOTHING
      RETURNING id, first_seen_at, version""";
  static final String ITEM_EDIT = """
      UPDATE scraping_item SET title = $3, body = $4, link = $5, posted_at = $6, fingerprint = $7, version = version + 1,
        last_seen_at = now()
      WHERE source_id = $1 AND identity = $2 RETURNING id, first_seen_at, version""";
  static final String VERSION_INSERT = """
      INSERT INTO scraping_item_version (item_id, version, source_id, fingerprint, title, body, posted_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""";
  static final String ITEMS_PAGE = """
      SELECT id, source_id, title, body, link, posted_at, first_seen_at, version FROM scraping_item
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::bigint IS NULL OR source_id = $2)
        AND ($3::text IS NULL OR search LIKE '%' || replace(replace(replace(scraping_norm($3), '!', '!!'), '%', '!%'), '_', '!_') || '%' ESCAPE '!')
      ORDER BY id DESC LIMIT $4""";

  // -- delivery ledger; new rows wait 30 s before the sweeper may take them: the detecting node sends at once
  static final String LEDGER_INSERT = """
      INSERT INTO scraping_delivery (item_id, channel, recipient, next_attempt_at)
      SELECT $1, c, r, now() + interval '30 seconds' FROM unnest($2::text[], $3::text[]) AS t(c, r)
      ON CONFLICT DO NOTHING""";
  /**
   * Takes the row for one send ($4 ms). The row falls due again when the lease ends, so if its sender dies
   * (before recording sent or failed) another node's sweep takes it over then.
   */
  static final String LEDGER_CLAIM = """
      UPDATE scraping_delivery SET lease_until = now() + $4 * interval '1 millisecond', attempts = attempts + 1,
        next_attempt_at = now() + $4 * interval '1 millisecond'
      WHERE item_id = $1 AND channel = $2 AND recipient = $3 AND state = 'pending'
        AND (lease_until IS NULL OR lease_until < now())
      RETURNING attempts""";
  static final String LEDGER_SENT = """
      UPDATE scraping_delivery SET state = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL
      WHERE item_id = $1 AND channel = $2 AND recipient = $3""";
  static final String LEDGER_FAILED = """
      UPDATE scraping_delivery SET lease_until = NULL, last_error = $4,
        next_attempt_at = now() + $5 * interval '1 millisecond',
        state = CASE WHEN attempts >= $6 THEN 'dead' ELSE 'pending' END
      WHERE item_id = $1 AND channel = $2 AND recipient = $3 RETURNING state""";
  /** Due rows, never-attempted ones first (a new item is not queued behind old retries). */
  static final String LEDGER_DUE = """
      SELECT d.item_id, d.channel, d.recipient, d.attempts, d.detected_at, i.source_id, i.title, i.body, i.link,
             i.posted_at, i.first_seen_at, i.version, s.name AS source_name
      FROM scraping_delivery d JOIN scraping_item i ON i.id = d.item_id JOIN scraping_source s ON s.id = i.source_id
      WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
      ORDER BY d.attempts > 0, d.next_attempt_at LIMIT $1""";
}
