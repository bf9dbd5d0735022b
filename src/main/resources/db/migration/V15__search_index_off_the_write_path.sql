-- Catalogue writes stop deriving the search document themselves. Measured on 25,000 ERP-like rows in one
-- statement: a plain insert 0.15 s, with the tsvector computed 0.77 s, with its GIN index 1.21 s, with the lexicon
-- trigger 1.74 s: three quarters of every write went into search structures, which held an ERP sync to ~9,000
-- rows/s. Now a write only queues the row's id (search_pending) and search_index() builds documents and lexicon
-- words in batches, off the writer's path, as search engines index: shortly after the write, not inside it.
-- Documents get their own narrow table: rewritten in bula, each one rewrote the wide row and every index of it.
-- name_key stays generated: it is cheap, and importers match leaflets by it inside their own transaction.

-- With what ranking needs (name key, current registration), so matches are ranked without reading bula rows.
CREATE TABLE bula_search (
  id            bigint   PRIMARY KEY REFERENCES bula (id) ON DELETE CASCADE,
  search_vector tsvector NOT NULL,
  name_key      text,
  current       boolean  NOT NULL
);
INSERT INTO bula_search (id, search_vector, name_key, current)
SELECT id, search_vector, name_key, coalesce(status NOT LIKE 'CADUCO%', true) FROM bula WHERE search_vector IS NOT NULL;
CREATE INDEX bula_search_vector_idx2 ON bula_search USING gin (search_vector) WITH (fastupdate = on);
DROP INDEX bula_search_vector_idx;
ALTER TABLE bula DROP COLUMN search_vector;
ALTER INDEX bula_search_vector_idx2 RENAME TO bula_search_vector_idx;

CREATE TABLE search_pending (id bigint PRIMARY KEY);

-- Lexicon words are [a-z] only: in byte order a prefix is a range of the primary key ("amoxi" <= w < "amoxi~"),
-- which the search uses to tell a word still being typed from a typo.
ALTER TABLE search_lexicon ALTER COLUMN word TYPE text COLLATE "C";

DROP TRIGGER bula_lexicon_insert ON bula;
DROP TRIGGER bula_lexicon_update ON bula;
DROP FUNCTION search_lexicon_add();

-- Statement-level, with transition tables: one small INSERT per writer statement, not a call per row. Every
-- updated row is queued (its status feeds the document table too): comparing old and new values cost more than
-- re-indexing the few rows whose change leaves the document alone; writers such as the ERP upsert already skip
-- rows that did not change at all.
CREATE FUNCTION search_pending_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_pending (id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER bula_search_pending_insert AFTER INSERT ON bula
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_pending_add();
CREATE TRIGGER bula_search_pending_update AFTER UPDATE ON bula
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_pending_add();

-- Builds the documents of up to `batch` queued rows (oldest first; rows another indexer holds are skipped, so
-- several may run at once) and adds their name and ingredient words to the typo lexicon. Returns the ids taken.
-- A writer that changes a row while it is being indexed queues it again once this commits.
CREATE FUNCTION search_index(batch int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  n int;
BEGIN
  WITH todo AS (
    DELETE FROM search_pending
    WHERE id IN (SELECT id FROM search_pending ORDER BY id LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING id),
  rows AS (SELECT b.* FROM bula b JOIN todo USING (id)),
  docs AS (
    INSERT INTO bula_search (id, search_vector, name_key, current)
    SELECT r.id, bula_document(r.name, r.active_ingredients, r.manufacturer, r.category, r.therapeutic_class,
      r.presentation, search_join(ARRAY[r.indications, r.contraindications, r.how_it_works, r.warnings, r.interactions,
        r.storage, r.dosage, r.missed_dose, r.adverse_reactions, r.overdose, r.composition])),
      r.name_key, coalesce(r.status NOT LIKE 'CADUCO%', true)
    FROM rows r
    ON CONFLICT (id) DO UPDATE SET search_vector = EXCLUDED.search_vector, name_key = EXCLUDED.name_key,
      current = EXCLUDED.current),
  words AS (
    INSERT INTO search_lexicon (word)
    SELECT DISTINCT w
    FROM rows r, LATERAL regexp_split_to_table(search_key(r.name || ' ' || search_join(r.active_ingredients)), ' ') AS w
    WHERE length(w) >= 3 AND w !~ '[0-9]'
    ORDER BY w
    ON CONFLICT DO NOTHING)
  SELECT count(*) INTO n FROM todo;
  RETURN n;
END $$;

-- search_settle (V14) merged the pending list of bula_search_vector_idx by name: the index moved, the name stayed.
