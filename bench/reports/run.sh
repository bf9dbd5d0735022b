#!/usr/bin/env bash
# Report export of ROWS (default 1,000,000) catalogue rows through the job, at -Xmx128m, next to
# psql \copy of the same query to /dev/null in the same run (goal >= 0.5 x COPY's rows/s, flat heap).
# Uses PostgreSQL on 127.0.0.1 (a fresh database, dropped at exit). Bounded: three exports, three COPYs.
. "$(dirname "$0")/../lib.sh"
need psql
bench_build
bench_java -Xmx128m pharmaops.bench.ReportsBench "${ROWS:-1000000}"
