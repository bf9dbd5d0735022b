-- The leaflet (bula) catalogue. One row per product; ERP records and ANVISA's list merge into it.
-- Search structures (tsvector, lexicon, trigram indexes) come in later migrations of the search range.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE bula (
  id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                   text        NOT NULL CHECK (length(btrim(name)) > 0),
  active_ingredients     text[]      NOT NULL DEFAULT '{}',   -- normalised: lower case, unaccented, one per element
  manufacturer           text,
  manufacturer_cnpj      text,                                -- 14 digits
  registration           text        UNIQUE,                  -- ANVISA registration number, digits only
  category               text,                                -- regulatory category (NOVO, GENÉRICO, SIMILAR, ...)
  therapeutic_class      text,
  status                 text,                                -- registration status (VÁLIDO, CADUCO/CANCELADO, ...)
  registration_expires   date,
  eans                   text[]      NOT NULL DEFAULT '{}',   -- EAN-13/EAN-8 barcodes
  presentation           text,
  -- leaflet sections, one column each
  indications            text,
  contraindications      text,
  how_it_works           text,
  warnings               text,
  interactions           text,
  storage                text,
  dosage                 text,
  missed_dose            text,
  adverse_reactions      text,
  overdose               text,
  composition            text,
  source                 text        NOT NULL,                -- 'anvisa', 'leaflet', 'demo' or an ERP name
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX bula_eans_idx ON bula USING gin (eans);
CREATE INDEX bula_updated_at_idx ON bula (updated_at, id);

-- Moves whenever the catalogue changes; cache keys carry it, so bumping it invalidates every cached
-- search in O(1). A sequence, not a Redis counter: it survives a Redis restart and never goes back.
CREATE SEQUENCE catalogue_generation;
