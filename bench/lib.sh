# Shared by bench/<capability>/run.sh: build once, then run a benchmark main with the test classpath.
# Usage (from a run.sh):  . "$(dirname "$0")/../lib.sh"; bench_java [JVM flags...] pharmaops.bench.Main args...
# Every benchmark targets 127.0.0.1 only, is bounded in requests and time, and stops by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$ROOT/bench/out}
mkdir -p "$OUT"

bench_build() {
  if [[ -z ${BENCH_SKIP_BUILD:-} ]]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2)
  fi
}

bench_cp() {
  echo "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/bench-classpath.txt")"
}

# bench_java [-Xmx..] MAIN ARGS...: runs with the project's and the tests' classes on the classpath
bench_java() {
  local jvm=()
  while [[ $# -gt 0 && $1 == -* ]]; do jvm+=("$1"); shift; done
  (cd "$ROOT" && java "${jvm[@]}" -cp "$(bench_cp)" "$@")
}

# Fails early with a clear message when a benchmark needs a tool that is not installed.
need() {
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { echo "bench: '$t' is not installed (apt-get install -y $t)" >&2; exit 3; }
  done
}

# Shared data the benchmarks use by path (never copied into the project).
SHARED_DATA=${SHARED_DATA:-$ROOT/../shared/data}
