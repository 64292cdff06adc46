#!/usr/bin/env bash
# The overhead comparison and one capacity level against a local three-silo cluster on this machine
# (scripts/cluster-start.sh: Redis, classifier service, three silos, two web fronts), with a
# simulator of its own (50 ms to first token, 20 tokens/s). Stops everything it started.
#
#   scripts/loadtest-cluster.sh                          # overhead at 50 streams, capacity at 500
#   OVERHEAD_ARGS="--concurrency 200 --warmup 200" CAPACITY=1000 scripts/loadtest-cluster.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/loadtest-lib.sh"

OVERHEAD_ARGS="${OVERHEAD_ARGS:---concurrency 50 --warmup 100 --duration 20s}"
CAPACITY="${CAPACITY:-500}"
export CLUSTER_DIR="${CLUSTER_DIR:-$(mktemp -d -t router-cluster-bench.XXXXXX)}"

build_all
SIM_PORT="$(free_port)"
OLLAMA_URL="http://127.0.0.1:$SIM_PORT"
start simulator "$SIMULATOR_DLL" --urls "$OLLAMA_URL" --Simulator:TimeToFirstTokenMs=50 \
    --Simulator:TokensPerSecond=20 "--Simulator:ResponseTokens=${SIM_RESPONSE_TOKENS:-40}"
wait_ready simulator "$LAST_PID" "$OLLAMA_URL/api/version"

stop_cluster() { "$ROOT/scripts/cluster-stop.sh" >/dev/null 2>&1 || true; stop_started; }
trap stop_cluster EXIT
CLUSTER_OLLAMA_URL="$OLLAMA_URL" CLUSTER_SKIP_BUILD="${LOADTEST_SKIP_BUILD:-0}" "$ROOT/scripts/cluster-start.sh"
ROUTER_URL="http://127.0.0.1:${CLUSTER_WEB_PORT:-8080}"

log "overhead against web front $ROUTER_URL: $OVERHEAD_ARGS"
# shellcheck disable=SC2086
dotnet "$LOADTEST_DLL" overhead --url "$ROUTER_URL" --ollama-url "$OLLAMA_URL" $OVERHEAD_ARGS --quiet

log "capacity: $CAPACITY streams of 200 tokens at 20 tokens/s through $ROUTER_URL"
prompts="$CLUSTER_DIR/long-prompts.txt"
printf '%s\n' "Tell me about the history of tea. [[sim:tokens=200]]" \
    "What should I cook for dinner tonight? [[sim:tokens=200]]" \
    "Explain how a rainbow forms. [[sim:tokens=200]]" >"$prompts"
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency "$CAPACITY" --users "$CAPACITY" --ramp 10s --duration 40s \
    --timeout 120s --prompts "$prompts" --quiet
