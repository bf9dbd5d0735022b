#!/usr/bin/env bash
# ERP sync benchmark: 4 simulated ERPs x 25,000 products, 50 ms per page, page size 500 (arguments override:
# erps products latencyMs pageSize lanes). Prints (a) concurrent vs slowest alone and (b) sequential vs
# concurrent, with 1 lane per ERP and with `lanes` (default 2), (c) upsert rows/s, (d) incremental (1% changed)
# vs full, and RESULT lines. Bounded: about two minutes.
. "$(dirname "$0")/../lib.sh"
bench_build
cd "$ROOT" && timeout 600 java -Xmx1g -cp "$(bench_cp)" pharmaops.erp.ErpBench "$@"
