/**
 * Leaflet (bula) search: the search API over HTTP and the event bus, its Redis cache keyed by catalogue
 * generation, and the SQL over the weighted tsvector and trigram lexicon of migration V11.
 */
package pharmaops.search;
