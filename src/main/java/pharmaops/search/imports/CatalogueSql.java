package pharmaops.search.imports;

import pharmaops.search.imports.Leaflet.Section;

import java.util.Arrays;
import java.util.stream.Collectors;

/** SQL of the importers. Every statement is parameterised; search columns are derived by the database (V11). */
final class CatalogueSql {
  private CatalogueSql() {}

  /** Ingredient lists travel as one string per row joined by U+001F (unnest cannot take ragged 2-D arrays). */
  static final String SEP = "\u001f";

  /**
   * Batched upsert of ANVISA rows by registration. Fields ANVISA leaves empty keep what another source gave;
   * a row that would not change is not rewritten, so re-importing the same file writes nothing.
   */
  static final String UPSERT_ANVISA = """
      INSERT INTO bula AS b (name, active_ingredients, manufacturer, manufacturer_cnpj, registration, category,
                             therapeutic_class, status, registration_expires, source)
      SELECT n, CASE WHEN i = '' THEN '{}'::text[] ELSE string_to_array(i, E'\\x1f') END, m, c, r, cat, tc, st, exp, 'anvisa'
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[])
           AS t(n, i, m, c, r, cat, tc, st, exp)
      ON CONFLICT (registration) DO UPDATE SET
        name = EXCLUDED.name,
        active_ingredients = CASE WHEN EXCLUDED.active_ingredients = '{}' THEN b.active_ingredients ELSE EXCLUDED.active_ingredients END,
        manufacturer = coalesce(EXCLUDED.manufacturer, b.manufacturer),
        manufacturer_cnpj = coalesce(EXCLUDED.manufacturer_cnpj, b.manufacturer_cnpj),
        category = coalesce(EXCLUDED.category, b.category),
        therapeutic_class = coalesce(EXCLUDED.therapeutic_class, b.therapeutic_class),
        status = coalesce(EXCLUDED.status, b.status),
        registration_expires = coalesce(EXCLUDED.registration_expires, b.registration_expires),
        updated_at = now()
      WHERE (b.name, b.active_ingredients, b.manufacturer, b.manufacturer_cnpj, b.category, b.therapeutic_class,
             b.status, b.registration_expires)
        IS DISTINCT FROM (EXCLUDED.name,
             CASE WHEN EXCLUDED.active_ingredients = '{}' THEN b.active_ingredients ELSE EXCLUDED.active_ingredients END,
             coalesce(EXCLUDED.manufacturer, b.manufacturer), coalesce(EXCLUDED.manufacturer_cnpj, b.manufacturer_cnpj),
             coalesce(EXCLUDED.category, b.category), coalesce(EXCLUDED.therapeutic_class, b.therapeutic_class),
             coalesce(EXCLUDED.status, b.status), coalesce(EXCLUDED.registration_expires, b.registration_expires))
      """;

  /**
   * The product a leaflet belongs to: same registration, else a product of that name still without a leaflet. Names
   * are matched on the search documents' key, so the importer drains the indexer first.
   */
  static final String FIND_LEAFLET_TARGET = """
      SELECT id FROM bula WHERE registration = $1
      UNION ALL
      (SELECT b.id FROM bula_search s JOIN bula b ON b.id = s.id
       WHERE s.name_key = search_key($2) AND b.indications IS NULL AND NOT EXISTS (SELECT 1 FROM bula WHERE registration = $1)
       ORDER BY (b.status = 'VÁLIDO') DESC NULLS LAST, b.id
       LIMIT 1)
      LIMIT 1
      """;

  private static final String SECTION_COLUMNS = Arrays.stream(Section.values()).map(s -> s.column).collect(Collectors.joining(", "));

  /** $1 id, $2 presentation, $3.. the sections in {@link Section} order. */
  static final String UPDATE_LEAFLET = "UPDATE bula SET presentation = coalesce($2, presentation), "
      + Arrays.stream(Section.values()).map(s -> s.column + " = $" + (s.ordinal() + 3)).collect(Collectors.joining(", "))
      + ", updated_at = now() WHERE id = $1";

  /** $1 name, $2 ingredients, $3 registration, $4 source, $5 presentation, $6.. the sections; EANs ($n last). */
  static final String INSERT_PRODUCT = "INSERT INTO bula (name, active_ingredients, registration, source, presentation, "
      + SECTION_COLUMNS + ", manufacturer, category, therapeutic_class, status, eans) VALUES ($1, $2, $3, $4, $5, "
      + Arrays.stream(Section.values()).map(s -> "$" + (s.ordinal() + 6)).collect(Collectors.joining(", "))
      + ", $17, $18, $19, $20, $21) RETURNING id";

  /** After a bulk import: fresh statistics, so the planner sees 31k rows rather than an empty table. */
  static final String ANALYZE = "ANALYZE bula";

  static final String IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM bula) AS empty";

  /** Serialises first-start seeding across nodes that start together on one empty database. */
  static final String SEED_LOCK = "SELECT pg_advisory_xact_lock(hashtext('pharmaops.search.seed'))";
}
