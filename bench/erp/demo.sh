#!/usr/bin/env bash
# ERP sync demo (not a benchmark): three simulated ERPs of the three kinds on 127.0.0.1:18081-18083
# (pharmaops.erp.ErpSimulatorMain, real ANVISA/CMED products from $SHARED_DATA when present, else generated
# ones) and a server on 127.0.0.1 with conf/erp-demo.json laid over conf/config.json. Prints how to trigger a
# sync with curl and runs until Ctrl-C, which stops both. Uses $PG_URL / $REDIS_URL when set, else the
# server's embedded ones (data under ./data, as in the quick start). Needs jq and curl.
# Usage: bench/erp/demo.sh [products=3000]   (PHARMAOPS_HTTP_PORT overrides the port, 8080)
. "$(dirname "$0")/../lib.sh"
need jq curl java
bench_build
mkdir -p "$ROOT/target/erp-demo"
CONFIG=$ROOT/target/erp-demo/config.json
jq -s '.[0] * .[1]' "$ROOT/conf/config.json" "$ROOT/conf/erp-demo.json" > "$CONFIG"
PORT=${PHARMAOPS_HTTP_PORT:-8080}
URL=http://127.0.0.1:$PORT

pids=()
stop() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo stopped"
}
trap stop EXIT INT TERM

cd "$ROOT"
SHARED_DATA=$SHARED_DATA java -cp "$(bench_cp)" pharmaops.erp.ErpSimulatorMain "${1:-3000}" > "$OUT/erp-demo-erps.log" 2>&1 &
pids+=($!)
PHARMAOPS_CONFIG=$CONFIG PHARMAOPS_HTTP_HOST=127.0.0.1 PHARMAOPS_HTTP_PORT=$PORT \
  java -jar target/pharmaops.jar > "$OUT/erp-demo-server.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 180); do
  curl -sf "$URL/health/ready" >/dev/null && break
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "demo: a process exited; see $OUT/erp-demo-*.log" >&2; tail -20 "$OUT"/erp-demo-*.log >&2; exit 1; }
  done
  sleep 1
done
curl -sf "$URL/health/ready" >/dev/null || { echo "demo: server not ready after 180 s; see $OUT/erp-demo-server.log" >&2; exit 1; }
grep -h "WARN" "$OUT/erp-demo-erps.log" || true

if [[ -n ${PHARMAOPS_ADMIN_TOKEN:-} ]]; then TOKEN_HINT='TOKEN=$PHARMAOPS_ADMIN_TOKEN'; else TOKEN_HINT='TOKEN=$(cat data/admin-token)'; fi
cat <<TXT
ERP demo running: ERPs matriz (json :18081), filial (xml :18082), legado (csv :18083); server $URL
Logs: $OUT/erp-demo-erps.log, $OUT/erp-demo-server.log. Ctrl-C stops both. In another shell, from $ROOT:

  $TOKEN_HINT
  # sync every ERP now (202; the body is the queued run, Location its URL)
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{}' $URL/api/v1/sync/runs
  # the run with per-ERP counts (state: queued, running, then succeeded / partial / failed)
  curl -s -H "Authorization: Bearer \$TOKEN" '$URL/api/v1/sync/runs?size=1'
  # the ERPs with breaker, cursor and last outcome; what was quarantined is in table erp_quarantine
  curl -s -H "Authorization: Bearer \$TOKEN" $URL/api/v1/sync/sources
  # break or slow one ERP while it runs (fields: latencyMs, errorRate, errorStatus, resetRate, down, hang), then sync
  # again: the others complete, legado's breaker opens; {"down": false} brings it back
  curl -s -X PUT -d '{"down": true}' http://127.0.0.1:18083/_faults
  curl -s -X PUT -d '{"latencyMs": 3000, "errorRate": 0.3}' http://127.0.0.1:18082/_faults
TXT
wait
