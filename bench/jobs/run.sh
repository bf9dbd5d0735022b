#!/usr/bin/env bash
# Job queue: enqueue rate, claim+complete of no-op jobs/s with 4 workers (goal >= 5,000/s), and p99 latency from
# enqueue to start on an idle queue (goal <= 20 ms). Uses PostgreSQL on 127.0.0.1 (a fresh database, dropped at
# exit). Bounded: JOBS jobs (default 40,000), LATENCY_SAMPLES (default 400), at most a few minutes.
. "$(dirname "$0")/../lib.sh"
bench_build
bench_java -Xmx512m pharmaops.bench.JobsBench "${JOBS:-40000}" "${LATENCY_SAMPLES:-400}"
