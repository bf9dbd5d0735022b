-- The run lease gets its holder's token, so only the run that took the lease clears it: a manual scrape that
-- finishes no longer frees a source whose scheduled run is still going.
ALTER TABLE scraping_source ADD COLUMN run_lease uuid;
