-- GIN's fast-update pending list makes bulk imports cheaper but every search after them slower (each
-- query scans the unsorted list until a vacuum merges it: 10-50 ms instead of 1-2 ms on ANVISA's 31k
-- products). The catalogue is read far more than written, so index entries go straight into the tree.
ALTER INDEX bula_search_vector_idx SET (fastupdate = off);
ALTER INDEX bula_name_key_trgm_idx SET (fastupdate = off);
ALTER INDEX search_lexicon_trgm_idx SET (fastupdate = off);
