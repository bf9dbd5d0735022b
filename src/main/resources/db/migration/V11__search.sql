-- Search structures over the bula catalogue (V10). Everything is derived inside PostgreSQL (generated
-- columns and a trigger), so every writer (importers, ERP sync, manual SQL) keeps search up to date for free.

-- unaccent() is only STABLE (it reads its dictionary by name); generated columns and indexes need IMMUTABLE.
-- Pinning the dictionary makes the wrapper safe to declare immutable.
CREATE FUNCTION search_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- The comparable form of a name: lower case, no accents, no ® (unaccent would make it "(R)"), other
-- punctuation (/ - +) as single spaces.
-- Java never re-implements it: queries call search_key($n) so both sides normalise identically.
CREATE FUNCTION search_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(lower(search_unaccent(translate($1, '®™©', ''))), '[^a-z0-9]+', ' ', 'g')) $$;

-- Portuguese stemming on unaccented words: "analgésico" and "analgesicos" meet at the same lexeme.
CREATE TEXT SEARCH CONFIGURATION pt_unaccent (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION pt_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

-- array_to_string and concat_ws are only STABLE in general; for text they are deterministic, hence this
-- wrapper (it skips NULL elements).
CREATE FUNCTION search_join(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;

-- Weights: the product name A, active ingredients B (so "ibuprofeno" finds brands that contain it, just
-- below products named after it), manufacturer and classes C, leaflet text D.
CREATE FUNCTION bula_document(name text, ingredients text[], manufacturer text, category text,
                              therapeutic_class text, presentation text, sections text)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector('pt_unaccent', coalesce(name, '')), 'A')
        || setweight(to_tsvector('pt_unaccent', search_join(ingredients)), 'B')
        || setweight(to_tsvector('pt_unaccent', search_join(ARRAY[manufacturer, category, therapeutic_class])), 'C')
        || setweight(to_tsvector('pt_unaccent', search_join(ARRAY[presentation, left(sections, 200000)])), 'D')
  $$;

ALTER TABLE bula
  ADD COLUMN name_key text GENERATED ALWAYS AS (search_key(name)) STORED,
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (bula_document(
      name, active_ingredients, manufacturer, category, therapeutic_class, presentation,
      search_join(ARRAY[indications, contraindications, how_it_works, warnings, interactions, storage, dosage,
                        missed_dose, adverse_reactions, overdose, composition]))) STORED;

CREATE INDEX bula_search_vector_idx ON bula USING gin (search_vector);
CREATE INDEX bula_name_key_trgm_idx ON bula USING gin (name_key gin_trgm_ops);
CREATE INDEX bula_name_key_idx ON bula (name_key);

-- Distinct words of names and ingredients: the vocabulary typos are corrected against
-- ("paracetmol" -> "paracetamol") by trigram similarity. Words are only added: a word left by a deleted
-- product at worst suggests a correction that matches nothing, which costs nothing.
CREATE TABLE search_lexicon (
  word text PRIMARY KEY
);
CREATE INDEX search_lexicon_trgm_idx ON search_lexicon USING gin (word gin_trgm_ops);

CREATE FUNCTION search_lexicon_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_lexicon (word)
  SELECT DISTINCT w
  FROM new_rows r,
       LATERAL regexp_split_to_table(search_key(r.name || ' ' || search_join(r.active_ingredients)), ' ') AS w
  WHERE length(w) >= 3 AND w !~ '[0-9]'
  ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Statement-level with transition tables: one INSERT per batch of rows, not one per row.
CREATE TRIGGER bula_lexicon_insert AFTER INSERT ON bula
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_add();
CREATE TRIGGER bula_lexicon_update AFTER UPDATE ON bula
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_add();
