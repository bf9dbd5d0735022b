#!/usr/bin/env bash
# Scraping benchmark: 20 sources on 4 fake hosts scraped by a whole node; prints detection-to-delivery latency
# p50/p99 (goal p99 <= 1 s), the highest request rate any host saw vs its limit (goal <= limit), and the bytes
# served with vs without conditional GET. Two bounded phases of SECONDS (default 30) each, ~100 s in all.
. "$(dirname "$0")/../lib.sh"
bench_build
bench_java -Xmx768m pharmaops.scraping.ScrapingBench "${SECONDS_PER_PHASE:-30}"
