/** Search benchmark helpers: the fixed, seeded list of realistic queries (with typos) that bench/search/run.sh replays with wrk. */
package pharmaops.bench.search;
