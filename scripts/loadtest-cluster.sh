#!/usr/bin/env bash
# The overhead comparison and one capacity level against a local three-silo cluster on this machine
# (scripts/cluster-start.sh: Redis, classifier service, three silos, two web fronts), with a
# simulator of its own (50 ms to first token, 20 tokens/s). Stops everything it started.
#
#   scripts/loadtest-cluster.sh                          # overhead at 50 streams (after a minute of warm-up), capacity at 500
#   OVERHEAD_ARGS="--concurrency 200 --warmup 200" CAPACITY=1000 scripts/loadtest-cluster.sh
#   SIM_RESPONSE_TOKENS=5 OVERHEAD_ARGS="--concurrency 1 --warmup 60 --duration 40s --users 10" CAPACITY=0 scripts/loadtest-cluster.sh   # one stream
#   PROBE_ARGS="--concurrency 10 --duration 20s" CAPACITY=0 scripts/loadtest-cluster.sh   # CPU in the first minute and warm
# Prints the CPU of each process over the overhead run, and how busy the machine was.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/loadtest-lib.sh"

# 1,500 uncounted requests are the first minute at 50 streams (the duration includes them, so 20 s
# are counted): five fresh .NET processes spend their first minute under load far above their
# steady CPU (docs/BENCHMARKS.md, three-silo cluster), and that minute is not what a cluster costs.
OVERHEAD_ARGS="${OVERHEAD_ARGS:---concurrency 50 --warmup 1500 --duration 80s}"
CAPACITY="${CAPACITY:-500}"
export CLUSTER_DIR="${CLUSTER_DIR:-$(mktemp -d -t router-cluster-bench.XXXXXX)}"

build_all
SIM_PORT="$(free_port)"
OLLAMA_URL="http://127.0.0.1:$SIM_PORT"
start simulator "$SIMULATOR_DLL" --urls "$OLLAMA_URL" --Simulator:TimeToFirstTokenMs=50 \
    --Simulator:TokensPerSecond=20 "--Simulator:ResponseTokens=${SIM_RESPONSE_TOKENS:-40}"
SIM_PID="$LAST_PID"
wait_ready simulator "$SIM_PID" "$OLLAMA_URL/api/version"

stop_cluster() { "$ROOT/scripts/cluster-stop.sh" >/dev/null 2>&1 || true; stop_started; }
trap stop_cluster EXIT
CLUSTER_OLLAMA_URL="$OLLAMA_URL" CLUSTER_SKIP_BUILD="${LOADTEST_SKIP_BUILD:-0}" "$ROOT/scripts/cluster-start.sh"
ROUTER_URL="http://127.0.0.1:${CLUSTER_WEB_PORT:-8080}"

# CPU of every process of the cluster (and the simulator) over one command, in % of one core: on
# one machine the parts share two cores, so this shows which of them the added time waits for.
TICKS="$(getconf CLK_TCK)"
cpu_snapshot() {
    { cat "$CLUSTER_DIR/pids"; echo "$SIM_PID simulator"; } | while read -r pid name; do
        [[ -r "/proc/$pid/stat" ]] && echo "$name $(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
    done
}
# The whole machine (load tool included): busy and total jiffies of all cores from /proc/stat.
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
# with_cpu <label> <command...>: runs the command, then prints each process's CPU over it.
with_cpu() {
    local label="$1" before machine_before started seconds busy0 all0 busy1 all1
    shift
    before="$(cpu_snapshot)"
    machine_before="$(machine)"
    started="$(date +%s.%N)"
    "$@"
    seconds="$(echo "$(date +%s.%N) - $started" | bc)"
    log "CPU over $label (${seconds%.*} s), % of one core:"
    join <(sort <<<"$before") <(cpu_snapshot | sort) | awk -v s="$seconds" -v t="$TICKS" '
        { pct = ($3 - $2) * 100 / t / s; total += pct; printf "  %-12s %6.1f\n", $1, pct }
        END { printf "  %-12s %6.1f\n", "total", total }' >&2
    read -r busy0 all0 <<<"$machine_before"
    read -r busy1 all1 <<<"$(machine)"
    log "  machine busy $(( (busy1 - busy0) * 100 / (all1 - all0) )) % of its $(nproc) cores (load tool included)"
}

# PROBE_ARGS (say "--concurrency 10 --duration 20s"): a router run whose CPU is read once in the
# cluster's first minute (after 150 uncounted requests) and once more after the overhead run.
probe() {
    # shellcheck disable=SC2086
    with_cpu "the probe ($1): router $PROBE_ARGS" dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" $PROBE_ARGS --quiet
}
if [[ -n "${PROBE_ARGS:-}" ]]; then
    dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency 50 --requests 150 --quiet >/dev/null
    probe "first minute"
fi

log "overhead against web front $ROUTER_URL: $OVERHEAD_ARGS"
# shellcheck disable=SC2086
with_cpu "the overhead run (direct and router runs together, warm-up included)" \
    dotnet "$LOADTEST_DLL" overhead --url "$ROUTER_URL" --ollama-url "$OLLAMA_URL" $OVERHEAD_ARGS --quiet
if [[ -n "${PROBE_ARGS:-}" ]]; then probe "warm"; fi

if ((CAPACITY == 0)); then exit 0; fi
log "capacity: $CAPACITY streams of 200 tokens at 20 tokens/s through $ROUTER_URL"
prompts="$CLUSTER_DIR/long-prompts.txt"
printf '%s\n' "Tell me about the history of tea. [[sim:tokens=200]]" \
    "What should I cook for dinner tonight? [[sim:tokens=200]]" \
    "Explain how a rainbow forms. [[sim:tokens=200]]" >"$prompts"
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency "$CAPACITY" --users "$CAPACITY" --ramp 10s --duration 40s \
    --timeout 120s --prompts "$prompts" --quiet
