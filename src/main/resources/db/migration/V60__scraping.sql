-- Scraping: sources, their runs, every item ever seen (with versions) and the delivery ledger.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lower case, unaccented: IMMUTABLE wrapper so it can feed a stored column and a trigram index.
CREATE FUNCTION scraping_norm(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, ''))) $$;

CREATE TABLE scraping_source (
  id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name              text        NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
  url               text        NOT NULL,
  kind              text        NOT NULL,
  schedule          text        NOT NULL,                    -- '@every 30s' | '@every 5m' ...
  interval_ms       bigint      NOT NULL CHECK (interval_ms > 0),
  rate_per_second   double precision NOT NULL CHECK (rate_per_second > 0),
  max_concurrency   int         NOT NULL DEFAULT 2 CHECK (max_concurrency > 0),
  max_pages         int         NOT NULL DEFAULT 3 CHECK (max_pages > 0),
  respect_robots    boolean     NOT NULL DEFAULT true,
  selectors         jsonb       NOT NULL DEFAULT '{}',       -- kind-specific options (CSS selectors ...)
  channels          jsonb       NOT NULL DEFAULT '[]',       -- [{"type":"whatsapp","recipients":["55..."]}]
  enabled           boolean     NOT NULL DEFAULT true,
  origin            text        NOT NULL DEFAULT 'api',      -- 'config' rows are re-synced at start
  next_run_at       timestamptz NOT NULL DEFAULT now(),      -- the guard: one node claims each slot
  running_until     timestamptz,                             -- a claimed run's lease: no second claim meanwhile
  ever_had_items    boolean     NOT NULL DEFAULT false,
  empty_alerted     boolean     NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scraping_run (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id     bigint      NOT NULL REFERENCES scraping_source (id) ON DELETE CASCADE,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL DEFAULT now(),
  status        text        NOT NULL,   -- ok | not_modified | empty | failed | blocked
  pages         int         NOT NULL DEFAULT 0,
  items_found   int         NOT NULL DEFAULT 0,
  items_new     int         NOT NULL DEFAULT 0,
  items_edited  int         NOT NULL DEFAULT 0,
  item_errors   jsonb       NOT NULL DEFAULT '[]',
  bytes         bigint      NOT NULL DEFAULT 0,
  error         text
);
CREATE INDEX scraping_run_source_idx ON scraping_run (source_id, id DESC);

-- Conditional GET state per source and page URL, shared by all nodes (per source: two sources reading one
-- page with different selectors must each parse it).
CREATE TABLE scraping_page (
  source_id      bigint      NOT NULL REFERENCES scraping_source (id) ON DELETE CASCADE,
  url            text        NOT NULL,
  etag           text,
  last_modified  text,
  fetched_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, url)
);

-- One row per item; identity is the link (or the normalised title when there is none). New-ness is
-- decided by the content fingerprint in scraping_item_version, so the same text under another URL is
-- not new, and a changed text under the same identity is a new version, not a new item.
CREATE TABLE scraping_item (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id      bigint      NOT NULL REFERENCES scraping_source (id) ON DELETE CASCADE,
  identity       text        NOT NULL,
  title          text        NOT NULL,
  body           text,
  link           text,
  posted_at      timestamptz,
  fingerprint    text        NOT NULL,
  version        int         NOT NULL DEFAULT 1,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  search         text        GENERATED ALWAYS AS (scraping_norm(title || ' ' || coalesce(body, ''))) STORED,
  UNIQUE (source_id, identity)
);
CREATE INDEX scraping_item_search_idx ON scraping_item USING gin (search gin_trgm_ops);
CREATE INDEX scraping_item_source_idx ON scraping_item (source_id, id DESC);

CREATE TABLE scraping_item_version (
  item_id      bigint      NOT NULL REFERENCES scraping_item (id) ON DELETE CASCADE,
  version      int         NOT NULL,
  source_id    bigint      NOT NULL,
  fingerprint  text        NOT NULL,
  title        text        NOT NULL,
  body         text,
  posted_at    timestamptz,
  seen_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, version),
  UNIQUE (source_id, fingerprint)
);

-- The delivery ledger: each recipient gets each item once per channel, across retries and restarts.
CREATE TABLE scraping_delivery (
  item_id          bigint      NOT NULL REFERENCES scraping_item (id) ON DELETE CASCADE,
  channel          text        NOT NULL,
  recipient        text        NOT NULL,
  state            text        NOT NULL DEFAULT 'pending',  -- pending | sent | dead
  attempts         int         NOT NULL DEFAULT 0,
  lease_until      timestamptz,                            -- a sender owns the row until then
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  detected_at      timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  last_error       text,
  PRIMARY KEY (item_id, channel, recipient)
);
CREATE INDEX scraping_delivery_due_idx ON scraping_delivery (next_attempt_at) WHERE state = 'pending';
