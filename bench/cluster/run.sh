#!/usr/bin/env bash
# Cluster benchmark: the same client load against 1 node, then 2 clustered nodes (Hazelcast, TCP members on
# 127.0.0.1), sharing one PostgreSQL and Redis. In one run:
#   a. cached search req/s and p99 (wrk, 64 connections in all, 200 realistic queries) with 1 node vs 2 nodes
#   b. job throughput: N small catalogue reports submitted at once, finished per second, with 1 node vs 2 nodes
# Honest caveat printed with the figures: both nodes, wrk, PostgreSQL and Redis share this machine's 2 cores,
# so a second node adds no CPU; what it can show is that nothing in the cluster path serialises the work.
# Needs PostgreSQL (postgres, trust) and Redis on 127.0.0.1, wrk, and ../shared/data. Bounded: ~3-4 minutes.
# Usage: bench/cluster/run.sh   (DURATION=10s, JOBS=200 override)
. "$(dirname "$0")/../lib.sh"
if ! command -v wrk >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then apt-get install -y wrk >/dev/null; fi
need wrk psql curl
CSV=$SHARED_DATA/anvisa/medicamentos.csv
[[ -f $CSV ]] || { echo "bench: shared data not found under $SHARED_DATA (set SHARED_DATA)" >&2; exit 3; }
DURATION=${DURATION:-10s}
JOBS=${JOBS:-200}
DB=pharmaops_bench_cluster
ADMIN=bench-cluster-admin-$RANDOM$RANDOM$RANDOM
P1=18441; P2=18442; HZ1=15841; HZ2=15842
bench_build

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

start_node() {  # name port hazelcast-port extra-env...
  local name=$1 port=$2 hz=$3; shift 3
  (cd "$ROOT" && exec env PHARMAOPS_PG_URL=postgresql://postgres@127.0.0.1:5432/$DB PHARMAOPS_REDIS_URL=redis://127.0.0.1:6379 \
    PHARMAOPS_REDIS_KEY_PREFIX="bench-cluster-$$:" PHARMAOPS_HTTP_PORT="$port" PHARMAOPS_HTTP_HOST=127.0.0.1 \
    PHARMAOPS_ADMIN_TOKEN=$ADMIN PHARMAOPS_DATA_DIR="$OUT/cluster-data" PHARMAOPS_DEMO_SEED=false \
    PHARMAOPS_CLUSTER_ENABLED=true PHARMAOPS_CLUSTER_NAME="bench-$$" PHARMAOPS_CLUSTER_HAZELCAST_PORT="$hz" \
    PHARMAOPS_CLUSTER_MEMBERS="127.0.0.1:$HZ1,127.0.0.1:$HZ2" "$@" \
    java -Xmx768m -jar target/pharmaops.jar > "$OUT/cluster-$name.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 1
  done
  echo "node $name did not start; see $OUT/cluster-$name.log" >&2; exit 1
}

to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0}
                               else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'; }
wrk_search() {  # port connections label -> writes $OUT/wrk-cluster-<label>.txt
  wrk -t1 -c"$2" -d"$DURATION" --latency -s "$OUT/search-cached.lua" "http://127.0.0.1:$1/" > "$OUT/wrk-cluster-$3.txt"
}
rps() { awk '/^Requests\/sec/{print $2}' "$OUT/wrk-cluster-$1.txt"; }
p99() { to_ms "$(awk '$1=="99%"{print $2}' "$OUT/wrk-cluster-$1.txt")"; }

# Jobs: submit JOBS small reports at once through node 1, time until every one has succeeded.
jobs_per_second() {
  local analyst=$1 t0 t1 done
  psql -h 127.0.0.1 -U postgres -d $DB -qc "DELETE FROM job WHERE type = 'report.export'" >/dev/null
  t0=$(date +%s.%N)
  seq 1 "$JOBS" | xargs -P 8 -I{} curl -sf -o /dev/null -X POST -H "Authorization: Bearer $analyst" \
    -H 'Content-Type: application/json' -d '{"type":"catalogue","filters":{"manufacturer":"EMS S/A"}}' \
    "http://127.0.0.1:$P1/api/v1/reports"
  for _ in $(seq 1 1200); do
    done=$(psql -h 127.0.0.1 -U postgres -d $DB -Atc "SELECT count(*) FROM job WHERE type = 'report.export' AND state = 'succeeded'")
    [[ $done -ge $JOBS ]] && break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  awk -v n="$JOBS" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", n/(b-a)}'
}

start_node n1 $P1 $HZ1 PHARMAOPS_DEMO_ANVISA_CSV="$CSV"
echo "cluster: node 1 up with $(psql -h 127.0.0.1 -U postgres -d $DB -Atc 'SELECT count(*) FROM bula') products"
ATTENDANT=$(curl -sf -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"subject":"bench-cluster","roles":["attendant"]}' "http://127.0.0.1:$P1/api/v1/tokens" | sed -E 's/.*"token" *: *"([^"]+)".*/\1/')
ANALYST=$(curl -sf -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"subject":"bench-cluster-analyst","roles":["analyst"]}' "http://127.0.0.1:$P1/api/v1/tokens" | sed -E 's/.*"token" *: *"([^"]+)".*/\1/')
bench_java pharmaops.bench.search.SearchQueries "$CSV" "$OUT" "$ATTENDANT" "$ADMIN" >/dev/null

wrk -t1 -c16 -d5s -s "$OUT/search-cached.lua" "http://127.0.0.1:$P1/" >/dev/null   # warm-up
wrk_search $P1 64 one
jobs1=$(jobs_per_second "$ANALYST")

start_node n2 $P2 $HZ2
wrk -t1 -c16 -d5s -s "$OUT/search-cached.lua" "http://127.0.0.1:$P2/" >/dev/null   # warm-up node 2
wrk_search $P1 32 two-a & wa=$!
wrk_search $P2 32 two-b & wb=$!
wait $wa $wb
jobs2=$(jobs_per_second "$ANALYST")

one=$(rps one); two=$(awk -v a="$(rps two-a)" -v b="$(rps two-b)" 'BEGIN{printf "%.2f", a+b}')
echo "cluster: search, 1 node      $one req/s  p99 $(p99 one) ms  (64 connections)"
echo "cluster: search, 2 nodes     $two req/s  p99 $(p99 two-a) / $(p99 two-b) ms  (32 + 32 connections)"
echo "cluster: search 2 / 1        $(awk -v a="$two" -v b="$one" 'BEGIN{printf "%.2f", a/b}')"
echo "cluster: report jobs, 1 node  $jobs1 jobs/s   2 nodes  $jobs2 jobs/s   ratio $(awk -v a="$jobs2" -v b="$jobs1" 'BEGIN{printf "%.2f", a/b}')  ($JOBS jobs)"
echo "cluster: note: wrk, both JVMs, PostgreSQL and Redis share $(nproc) cores; a second node adds no CPU here."
echo "RESULT cluster_search_1node_rps $one http_hello_rps"
echo "RESULT cluster_search_2nodes_rps $two http_hello_rps"
echo "RESULT cluster_jobs_1node_per_s $jobs1 none"
echo "RESULT cluster_jobs_2nodes_per_s $jobs2 none"
