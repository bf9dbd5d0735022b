-- One scheduled run per source at a time: a source whose run has not finished is not claimed again, so a slow
-- or throttled host never piles scrape jobs up in the queue. The lease expires if the running node dies.
ALTER TABLE scraping_source ADD COLUMN running_until timestamptz;
