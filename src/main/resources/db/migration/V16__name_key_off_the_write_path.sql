-- The name key (search_key(name)) and its two indexes leave the catalogue row for the search document table,
-- where the indexer derives them with the rest of the document. Measured inserting 50,000 ERP-like rows in one
-- statement: 1.45 s with them, 0.48 s without (the trigram GIN index alone 0.61 s, the btree 0.16 s, the
-- generated column 0.17 s): two thirds of an ERP write went into a key only search and the leaflet importer read.
-- The leaflet importer matches names on bula_search after draining the indexer (SearchIndex.drain).

ALTER TABLE bula_search ALTER COLUMN name_key SET NOT NULL;
CREATE INDEX bula_search_name_key_idx ON bula_search (name_key);
CREATE INDEX bula_search_name_key_trgm_idx ON bula_search USING gin (name_key gin_trgm_ops) WITH (fastupdate = on);

DROP INDEX bula_name_key_trgm_idx;
DROP INDEX bula_name_key_idx;
ALTER TABLE bula DROP COLUMN name_key;

CREATE OR REPLACE FUNCTION search_settle() RETURNS bigint LANGUAGE sql AS $$
  SELECT gin_clean_pending_list('bula_search_vector_idx'::regclass)
       + gin_clean_pending_list('bula_search_name_key_trgm_idx'::regclass)
       + gin_clean_pending_list('search_lexicon_trgm_idx'::regclass)
       + gin_clean_pending_list('bula_eans_idx'::regclass)
$$;

-- As in V15, with the name key derived here.
CREATE OR REPLACE FUNCTION search_index(batch int) RETURNS int LANGUAGE plpgsql AS $$
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
      search_key(r.name), coalesce(r.status NOT LIKE 'CADUCO%', true)
    FROM rows r
    ON CONFLICT (id) DO UPDATE SET search_vector = EXCLUDED.search_vector, name_key = EXCLUDED.name_key,
      current = EXCLUDED.current
    WHERE (bula_search.search_vector, bula_search.name_key, bula_search.current)
      IS DISTINCT FROM (EXCLUDED.search_vector, EXCLUDED.name_key, EXCLUDED.current)),
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
