#!/usr/bin/env bash
# Search benchmark. Loads ANVISA's list (31k products) and the 78 leaflets from ../shared/data into a database
# of its own (pharmaops_bench_search, dropped at the end) through the server's first-start import, then, with
# wrk on 127.0.0.1 against that one server:
#   a. cached search req/s and p99 at 64 connections vs GET /health/live of the same server (goal >= 0.7, p99 <= 10 ms)
#   b. uncached search (admin, cache=false) p50/p99 over a fixed list of 200 realistic queries with typos,
#      at 2 connections (one per core: latency, not saturation) (goal p50 <= 5 ms, p99 <= 25 ms)
# Needs PostgreSQL (postgres, trust) and Redis on 127.0.0.1. Bounded: about 2-3 minutes.
# Usage: bench/search/run.sh   (DURATION=10s, ROUNDS=5 and PORT=18431 override the defaults)
. "$(dirname "$0")/../lib.sh"
if ! command -v wrk >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then apt-get install -y wrk >/dev/null; fi
need wrk psql curl
CSV=$SHARED_DATA/anvisa/medicamentos.csv
LEAFLETS=$SHARED_DATA/bulas/txt
[[ -f $CSV && -d $LEAFLETS ]] || { echo "bench: shared data not found under $SHARED_DATA (set SHARED_DATA)" >&2; exit 3; }
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18431}
DB=pharmaops_bench_search
ADMIN=bench-search-admin-$RANDOM$RANDOM$RANDOM
bench_build

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
SERVER=
cleanup() {
  if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

start=$(date +%s)
(cd "$ROOT" && PHARMAOPS_PG_URL=postgresql://postgres@127.0.0.1:5432/$DB PHARMAOPS_REDIS_URL=redis://127.0.0.1:6379 \
  PHARMAOPS_REDIS_KEY_PREFIX="bench-search-$$:" PHARMAOPS_HTTP_PORT=$PORT PHARMAOPS_HTTP_HOST=127.0.0.1 \
  PHARMAOPS_ADMIN_TOKEN=$ADMIN PHARMAOPS_DATA_DIR="$OUT/search-data" PHARMAOPS_DEMO_SEED=false \
  PHARMAOPS_DEMO_ANVISA_CSV="$CSV" PHARMAOPS_DEMO_LEAFLET_DIR="$LEAFLETS" \
  exec java -Xmx1g -jar target/pharmaops.jar > "$OUT/search-server.log" 2>&1) &
SERVER=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server died; see $OUT/search-server.log" >&2; tail -20 "$OUT/search-server.log" >&2; exit 1; }
  sleep 1
done
products=$(psql -h 127.0.0.1 -U postgres -d $DB -Atc "SELECT count(*) FROM bula")
leaflets=$(psql -h 127.0.0.1 -U postgres -d $DB -Atc "SELECT count(*) FROM bula WHERE indications IS NOT NULL")
echo "search: loaded $products products, $leaflets with leaflet sections, in $(( $(date +%s) - start )) s (start-up included)"

ATTENDANT=$(curl -sf -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"subject":"bench-search","roles":["attendant"]}' "http://127.0.0.1:$PORT/api/v1/tokens" | sed -E 's/.*"token" *: *"([^"]+)".*/\1/')
bench_java pharmaops.bench.search.SearchQueries "$CSV" "$OUT" "$ATTENDANT" "$ADMIN"

to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0}
                               else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'; }
run_wrk() {  # label connections script-or-empty path -> "rps p50 p99 errors"
  local f="$OUT/wrk-search-$1.txt" script=()
  [[ -n $3 ]] && script=(-s "$3")
  wrk -t2 -c"$2" -d"$DURATION" --latency "${script[@]}" "http://127.0.0.1:$PORT$4" > "$f"
  echo "$(awk '/^Requests\/sec/{print $2}' "$f") $(to_ms "$(awk '$1=="50%"{print $2}' "$f")") $(to_ms "$(awk '$1=="99%"{print $2}' "$f")") \
$(awk '/Non-2xx/{n+=$NF} /Socket errors/{gsub(/,/,""); n+=$4+$6+$8+$10} END{print n+0}' "$f")"
}

# warm-up: JIT and the pools, then each of the 200 answers cached once (one pass, in order)
wrk -t2 -c16 -d5s "http://127.0.0.1:$PORT/health/live" >/dev/null
wrk -t1 -c2 -d5s -s "$OUT/search-uncached.lua" "http://127.0.0.1:$PORT/" >/dev/null
while read -r path; do
  curl -s -o /dev/null -m 10 -H "Authorization: Bearer $ATTENDANT" "http://127.0.0.1:$PORT$path" || true
done < "$OUT/search-paths.txt"
wrk -t2 -c16 -d3s -s "$OUT/search-cached.lua" "http://127.0.0.1:$PORT/" >/dev/null

# Rounds interleave the two loads and each figure is the median of its rounds: on 2 shared cores one 15 s run
# moved by 15-25 % from the next (the ceilings tool does the same).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$OUT/search-rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  echo "live $(run_wrk live 64 "" /health/live)" >> "$OUT/search-rounds.txt"
  echo "cached $(run_wrk cached 64 "$OUT/search-cached.lua" /)" >> "$OUT/search-rounds.txt"
done
col() { awk -v k="$1" -v c="$2" '$1==k {print $c}' "$OUT/search-rounds.txt" | median; }
live_rps=$(col live 2); live_p50=$(col live 3); live_p99=$(col live 4); live_err=$(awk '$1=="live" {n+=$5} END {print n+0}' "$OUT/search-rounds.txt")
hit_rps=$(col cached 2); hit_p50=$(col cached 3); hit_p99=$(col cached 4); hit_err=$(awk '$1=="cached" {n+=$5} END {print n+0}' "$OUT/search-rounds.txt")
ratios=$(awk '$1=="live" {l=$2} $1=="cached" {printf "%.2f ", $2/l}' "$OUT/search-rounds.txt")
read -r db_rps db_p50 db_p99 db_err < <(run_wrk uncached 2 "$OUT/search-uncached.lua" /)
hits=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^pharmaops_cache_requests_total\{cache="bulas",result="hit/{h+=$2} /^pharmaops_cache_requests_total\{cache="bulas",result="(hit|hit_local|miss|error)"/{n+=$2} END{printf "%.3f", n ? h/n : 0}')

echo "search: /health/live       $live_rps req/s  p50 ${live_p50} ms  p99 ${live_p99} ms  (64 connections, median of $ROUNDS rounds of $DURATION, errors $live_err)"
echo "search: cached search      $hit_rps req/s  p50 ${hit_p50} ms  p99 ${hit_p99} ms  (64 connections, 200 queries, errors $hit_err)"
echo "search: cache hit ratio over the run (warm-up included)  $hits"
echo "search: cached / live      $(awk -v a="$hit_rps" -v b="$live_rps" 'BEGIN{printf "%.2f", a/b}')  (medians; per round: $ratios; goal >= 0.70; p99 goal <= 10 ms)"
echo "search: uncached search    $db_rps req/s  p50 ${db_p50} ms  p99 ${db_p99} ms  (2 connections, cache=false, 200 queries, errors $db_err; goal p50 <= 5 ms, p99 <= 25 ms)"
echo "RESULT search_cached_rps $hit_rps http_hello_rps"
echo "RESULT search_cached_p99_ms $hit_p99 http_hello_p99"
echo "RESULT search_cached_vs_live_ratio $(awk -v a="$hit_rps" -v b="$live_rps" 'BEGIN{printf "%.3f", a/b}') none"
echo "RESULT search_uncached_p50_ms $db_p50 http_pg_p50"
echo "RESULT search_uncached_p99_ms $db_p99 http_pg_p99"
