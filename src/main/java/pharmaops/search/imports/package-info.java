/**
 * Filling the catalogue: ANVISA's open-data CSV, leaflet text files split into sections, and the demo
 * catalogue of a fresh installation. Usable from the command line and from code; bad input is reported
 * with its line number and never aborts an import.
 */
package pharmaops.search.imports;
