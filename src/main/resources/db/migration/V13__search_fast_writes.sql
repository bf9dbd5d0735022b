-- V12 sent every index entry straight into the GIN trees. Measured afterwards: catalogue writes (ERP sync,
-- imports) became about 3x slower (50k inserts: 25.6 s against 8.0 s), for searches that only suffer from the
-- pending list while it is large. So writes use the fast-update list again, and every bulk writer merges it
-- into the trees once it is done (search_settle), which keeps searches as fast as V12 made them.
ALTER INDEX bula_search_vector_idx SET (fastupdate = on);
ALTER INDEX bula_name_key_trgm_idx SET (fastupdate = on);
ALTER INDEX search_lexicon_trgm_idx SET (fastupdate = on);

-- Merges the pending lists of the search indexes; returns the pages merged. Called after committed bulk writes.
CREATE FUNCTION search_settle() RETURNS bigint LANGUAGE sql AS $$
  SELECT gin_clean_pending_list('bula_search_vector_idx'::regclass)
       + gin_clean_pending_list('bula_name_key_trgm_idx'::regclass)
       + gin_clean_pending_list('search_lexicon_trgm_idx'::regclass)
$$;
