#!/usr/bin/env bash
# Capacity of the embedded router: for each concurrency level, N SSE clients stream answers of the
# simulated model (20 tokens/s, 200 tokens) through the router while the router's RSS and CPU are
# sampled once a second. Prints, per level: outcomes, TTFT and chunk-gap percentiles (the simulator
# paces tokens 50 ms apart, so gap p99 − 50 ms is what the router adds), peak RSS and mean CPU.
#
#   scripts/loadtest-capacity.sh                      # levels 250 500 1000
#   LEVELS="100 1000 1500" DURATION=60s scripts/loadtest-capacity.sh
#   LEVELS=1000 DURATION=1800s LOADTEST_ROUTER_ENV=DOTNET_GCHeapHardLimit=0x20000000 scripts/loadtest-capacity.sh   # soak
#   (Orleans activations, subscriptions and GC heap every METRICS_EVERY seconds, 30 by default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

LEVELS="${LEVELS:-250 500 1000}"
DURATION="${DURATION:-40s}"
RAMP="${RAMP:-10s}"
export SIM_TOKENS_PER_SECOND="${SIM_TOKENS_PER_SECOND:-20}"
export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-200}"

build_all
start_services
ROUTER_PID="${STARTED_PIDS[1]}"
TICKS="$(getconf CLK_TCK)"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$ROUTER_PID/status"; }
# Orleans' bookkeeping from the router's metrics endpoint: activations, stream subscriptions and
# producers, pub-sub cache entries, the GC heap and what the GC holds committed, and the process's
# threads, and the anonymous and file-backed parts of RSS (what a soak must show flat, and where RSS
# outside the heap could come from).
orleans_counts() {
    local threads anon file
    read -r threads anon file < <(awk '/^Threads:/ { t = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
        END { print t, a, f }' "/proc/$ROUTER_PID/status")
    curl -fsS --max-time 5 "http://127.0.0.1:$MANAGEMENT_PORT/metrics" 2>/dev/null | awk '
        /^orleans_catalog_activations\{/ { act += $NF }
        /^orleans_streams_pubsub_consumers_total\{/ { cons += $NF }
        /^orleans_streams_pubsub_producers_total\{/ { prod += $NF }
        /^orleans_streams_persistent_stream_pubsub_cache_size\{/ { cache += $NF }
        /^dotnet_gc_last_collection_heap_size_bytes\{/ { heap += $NF }
        /^dotnet_gc_last_collection_memory_committed_size_bytes\{/ { committed += $NF }
        END { printf "activations %d consumers %d producers %d pubsub-cache %d gc-heap-MiB %.0f gc-committed-MiB %.0f threads %d rss-anon-MiB %d rss-file-MiB %d\n",
                  act, cons, prod, cache, heap / 1048576, committed / 1048576, threads, anon / 1024, file / 1024 }' \
            threads="$threads" anon="$anon" file="$file"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$ROUTER_PID/stat"; }

# Warm the router (JIT, first activations) and let it settle before the idle reading.
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency 4 --requests 20 --quiet >/dev/null
log "router pid $ROUTER_PID idle RSS $(( $(rss_kib) / 1024 )) MiB"
IDLE_RSS="$(rss_kib)"

for level in $LEVELS; do
    samples="$LOG_DIR/samples-$level.txt"
    : >"$samples"
    (
        previous="$(cpu_ticks)"
        while kill -0 "$ROUTER_PID" 2>/dev/null; do
            sleep 1
            now="$(cpu_ticks)"
            echo "$(rss_kib) $(( (now - previous) * 100 / TICKS ))" >>"$samples"
            previous="$now"
            seconds=$((${seconds:-0} + 1))
            if ((seconds % ${METRICS_EVERY:-30} == 0)); then echo "$seconds s $(orleans_counts)" >>"$LOG_DIR/orleans-$level.txt"; fi
        done
    ) &
    sampler=$!
    log "level $level: router --concurrency $level --ramp $RAMP --duration $DURATION"
    dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency "$level" --users "$level" \
        --ramp "$RAMP" --duration "$DURATION" --timeout 120s --quiet --out "$LOG_DIR/level-$level.json" \
        | grep -E '^(requests|throughput|TTFT|chunk gap|outcomes|errors|  )' || true
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    awk -v idle="$IDLE_RSS" -v n="$level" '
        { if ($1 > peak) peak = $1; cpu += $2; count++
          # RSS slope after minute 5 (least squares over one sample a second), for soaks.
          if (NR > 300) { x = NR / 60; y = $1 / 1024; sx += x; sy += y; sxx += x * x; sxy += x * y; m++ } }
        END {
            printf "router      peak RSS %.0f MiB (idle %.0f MiB, %.1f KiB per stream), mean CPU %.0f%% of one core over %d s\n",
                peak / 1024, idle / 1024, (peak - idle) / n, cpu / count, count
            if (m > 60) printf "router      RSS slope after minute 5: %+.2f MiB/min over %d samples\n", (m * sxy - sx * sy) / (m * sxx - sx * sx), m
        }' "$samples"
    if [[ -s "$LOG_DIR/orleans-$level.txt" ]]; then
        log "Orleans bookkeeping at level $level (first, middle, last reading):"
        awk '{ lines[NR] = $0 } END { print lines[1]; print lines[int((NR + 1) / 2)]; print lines[NR] }' "$LOG_DIR/orleans-$level.txt" >&2
    fi
done
