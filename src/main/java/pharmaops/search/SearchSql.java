package pharmaops.search;

import pharmaops.search.imports.Leaflet.Section;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The SQL of search, every statement parameterised. Ranking is: exact name first (as typed, or with its typos
 * corrected), then products whose registration is current before cancelled ones (ANVISA's list is two-thirds
 * "CADUCO/CANCELADO"), then names that begin with the query ("losartana" puts LOSARTANA POTÁSSICA before the
 * combinations that contain it), then full-text rank (name A, ingredients B, manufacturer/classes C, leaflet
 * text D), then id, so pages are stable.
 */
final class SearchSql {
  private SearchSql() {}

  static final String GENERATION = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS g FROM catalogue_generation";

  /** Escapes text for HTML before ts_headline adds its marks, so a stored name can never inject markup. */
  private static final String HIGHLIGHT_DOC = """
      replace(replace(replace(
        b.name || ' · ' || array_to_string(b.active_ingredients, ', ') || coalesce(' · ' || b.manufacturer, '')
          || coalesce(' · ' || left(b.indications, 300), ''),
        '&', '&amp;'), '<', '&lt;'), '>', '&gt;')""";

  private static final String ITEM_COLUMNS = "b.id, b.name, b.active_ingredients, b.manufacturer, b.registration, b.category, b.status, b.eans";

  /** Manufacturer (contains), category and status (equal), each ignoring case and accents; null = any. */
  private static String filters(int m) {
    return """
          AND ($M::text IS NULL OR search_key(b.manufacturer) LIKE '%' || search_key($M) || '%')
          AND ($C::text IS NULL OR search_key(b.category) = search_key($C))
          AND ($S::text IS NULL OR search_key(b.status) = search_key($S))
        """.replace("$M", "$" + m).replace("$C", "$" + (m + 1)).replace("$S", "$" + (m + 2));
  }

  /**
   * Full-text search. $1 words, $2 whether each is a prefix, $3 the raw query (exact-name test), $4-$6
   * filters, $7 offset, $8 limit. A word of 4+ letters that is not in the lexicon (or, while being typed, does
   * not begin any lexicon word: "amoxi" is not corrected to "amoxil") also matches its closest lexicon word by
   * trigram similarity ("paracetmol" -> paracetamol), OR-ed so a real word that happens not to be a name still
   * matches the leaflet text. The tsquery is computed once (an InitPlan), so the GIN index is used; matches are
   * ranked from the document table alone (its stored name key and current flag), the catalogue row is read only
   * for a filter and for the page's rows, where ts_headline runs.
   */
  static final String SEARCH = """
      WITH terms AS MATERIALIZED (
        SELECT q.ord, q.w AS plain, CASE WHEN q.prefix THEN q.w || ':*' ELSE q.w END AS w,
               (SELECT l.word COLLATE "default" FROM search_lexicon l
                 WHERE length(q.w) >= 4 AND l.word % q.w AND similarity(l.word, q.w) >= 0.45
                   AND NOT EXISTS (SELECT 1 FROM search_lexicon e WHERE e.word = q.w COLLATE "C")
                   AND NOT (q.prefix AND EXISTS (SELECT 1 FROM search_lexicon e
                                                 WHERE e.word >= q.w COLLATE "C" AND e.word < (q.w || '~') COLLATE "C"))
                 ORDER BY similarity(l.word, q.w) DESC, l.word
                 LIMIT 1) AS fix
        FROM unnest($1::text[], $2::bool[]) WITH ORDINALITY AS q(w, prefix, ord)
      ), query AS (
        SELECT to_tsquery('pt_unaccent', string_agg('(' || w || coalesce(' | ' || fix, '') || ')', ' & ' ORDER BY ord)) AS tsq,
               string_agg(coalesce(fix, plain), ' ' ORDER BY ord) AS fixed
        FROM terms
      ), hits AS (
        SELECT s.id, s.name_key IN (search_key($3), (SELECT fixed FROM query)) AS exact, s.current,
               s.name_key LIKE search_key($3) || '%' OR s.name_key LIKE (SELECT fixed FROM query) || '%' AS starts,
               ts_rank(s.search_vector, (SELECT tsq FROM query)) AS rank
        FROM bula_search s
        WHERE s.search_vector @@ (SELECT tsq FROM query)
          AND (($4::text IS NULL AND $5::text IS NULL AND $6::text IS NULL)
               OR EXISTS (SELECT 1 FROM bula b WHERE b.id = s.id
      """ + filters(4) + """
               ))
        ORDER BY exact DESC, current DESC, starts DESC, rank DESC, s.id
        OFFSET $7 LIMIT $8
      )
      SELECT ITEM_COLUMNS,
             ts_headline('pt_unaccent', HIGHLIGHT_DOC, (SELECT tsq FROM query),
                         'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') AS highlight
      FROM hits h JOIN bula b ON b.id = h.id
      ORDER BY h.exact DESC, h.current DESC, h.starts DESC, h.rank DESC, h.id
      """.replace("ITEM_COLUMNS", ITEM_COLUMNS).replace("HIGHLIGHT_DOC", HIGHLIGHT_DOC);

  /**
   * When the words match nothing (several typos at once, a name written together), the closest names by
   * trigram similarity. $1 the raw query, $2-$4 filters, $5 offset, $6 limit.
   */
  static final String SIMILAR_NAMES = """
      SELECT ITEM_COLUMNS, replace(replace(replace(b.name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS highlight
      FROM bula_search s JOIN bula b ON b.id = s.id
      WHERE s.name_key % search_key($1) AND similarity(s.name_key, search_key($1)) >= 0.35
      """.replace("ITEM_COLUMNS", ITEM_COLUMNS) + filters(2) + """
      ORDER BY similarity(s.name_key, search_key($1)) DESC, b.id
      OFFSET $5 LIMIT $6
      """;

  /**
   * EAN or registration lookup: $1 registration (9 digits or null), $2 EAN digits, $3-$5 filters, $6 offset, $7 limit.
   * Two index lookups, then the rows by primary key: written as one {@code registration = $1 OR eans @> ...} the planner
   * misjudges the EAN match and walks the primary key in id order, filtering every product (15-45 ms on 31k).
   */
  static final String IDENTIFIER = """
      SELECT ITEM_COLUMNS,
             CASE WHEN b.registration = $1 THEN 'Registro ANVISA <mark>' || b.registration || '</mark>'
                  ELSE 'EAN <mark>' || $2 || '</mark>' END || ' · ' ||
             replace(replace(replace(b.name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') AS highlight
      FROM bula b
      WHERE b.id = ANY (ARRAY(SELECT id FROM bula WHERE registration = $1
                              UNION SELECT id FROM bula WHERE eans @> ARRAY[$2::text]))
      """.replace("ITEM_COLUMNS", ITEM_COLUMNS) + filters(3) + """
      ORDER BY b.id
      OFFSET $6 LIMIT $7
      """;

  static final String BY_ID = "SELECT id, name, active_ingredients, manufacturer, registration, category, therapeutic_class, status, "
      + "eans, presentation, " + Arrays.stream(Section.values()).map(s -> s.column).collect(Collectors.joining(", "))
      + ", source, updated_at FROM bula WHERE id = $1";
}
