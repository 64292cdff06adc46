#!/usr/bin/env bash
# Capacity of the embedded router and of the bare relay (tests/Router.Benchmarks.Relay, no Orleans) on the
# same machine: for each concurrency level, N SSE clients stream answers of the simulated model
# (20 tokens/s, 200 tokens) through the router, then through the relay, while the server's RSS and CPU
# are sampled once a second. Prints, per level and server: outcomes, TTFT and chunk-gap percentiles
# (the simulator paces tokens 50 ms apart, so gap p99 − 50 ms is what the server adds), RSS per open
# stream and mean CPU.
#
# RSS per open stream is (median RSS while all N streams are open − RSS idle right before the level) / N,
# both read on a server already warmed up by the same kind of traffic: that is what an open stream
# holds. The peak over the whole level less the idle RSS at start is printed too; it adds the GC's
# headroom for the garbage of the token flow and the first-run growth of the heap, which grow with the
# token rate and the run's history, not with the streams held (docs/BENCHMARKS.md, issue 26).
#
#   scripts/loadtest-capacity.sh                      # levels 250 500 1000, router and relay
#   LEVELS="400 2000" DURATION=30s scripts/loadtest-capacity.sh
#   LEVELS="400 2000" SIM_TOKENS_PER_SECOND=1 SIM_RESPONSE_TOKENS=45 DURATION=30s WARM_REQUESTS=200 scripts/loadtest-capacity.sh   # slow streams: memory per open stream
#   LOADTEST_COMPARE_DLL=/tmp/before/Router.WebFront.dll LEVELS=400 scripts/loadtest-capacity.sh   # A/B: that build too, as router-b
#   TARGETS=router LEVELS=1000 DURATION=1800s LOADTEST_ROUTER_ENV=DOTNET_GCHeapHardLimit=0x20000000 scripts/loadtest-capacity.sh   # soak
#   (Orleans activations, subscriptions and GC heap every METRICS_EVERY seconds, 30 by default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

LEVELS="${LEVELS:-250 500 1000}"
DURATION="${DURATION:-40s}"
RAMP="${RAMP:-10s}"
TARGETS="${TARGETS:-router relay${LOADTEST_COMPARE_DLL:+ router-b}}"
export SIM_TOKENS_PER_SECOND="${SIM_TOKENS_PER_SECOND:-20}"
export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-200}"

build_all
if [[ " $TARGETS " == *" relay "* && "${LOADTEST_SKIP_BUILD:-0}" != "1" ]]; then
    log "building tests/Router.Benchmarks.Relay (Release)"
    dotnet build "$ROOT/tests/Router.Benchmarks.Relay" -c Release -nologo -v quiet
fi
start_services
ROUTER_PID="${STARTED_PIDS[1]}"
if [[ " $TARGETS " == *" relay "* ]]; then
    RELAY_URL="http://127.0.0.1:$(free_port)"
    start relay "$(target_path tests/Router.Benchmarks.Relay)" --urls "$RELAY_URL" "--Relay:BackendUrl=$OLLAMA_URL"
    RELAY_PID="$LAST_PID"
    wait_ready relay "$RELAY_PID" "$RELAY_URL/health"
fi
if [[ " $TARGETS " == *" router-b "* ]]; then
    # Another router build, its own single-silo cluster on ports of its own.
    COMPARE_URL="http://127.0.0.1:$(free_port)"
    start router-b "$LOADTEST_COMPARE_DLL" --urls "$COMPARE_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
        "--Orleans:SiloPort=$(free_port)" "--Orleans:GatewayPort=$(free_port)" "--WebFront:ManagementUrl=http://127.0.0.1:$(free_port)"
    COMPARE_PID="$LAST_PID"
    wait_ready router-b "$COMPARE_PID" "$COMPARE_URL/health"
fi
TICKS="$(getconf CLK_TCK)"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
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
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Warm both servers with the kind of traffic measured (JIT, connection pools, first heap growth) and let
# them settle, so the idle RSS each level starts from is that of a warmed-up server.
for target in $TARGETS; do
    url="$ROUTER_URL"; [[ "$target" == relay ]] && url="$RELAY_URL"; [[ "$target" == router-b ]] && url="$COMPARE_URL"
    log "warming $target: 200 streams, ${WARM_REQUESTS:-400} requests"
    dotnet "$LOADTEST_DLL" router --url "$url" --concurrency 200 --users 200 --ramp 2s --requests "${WARM_REQUESTS:-400}" --timeout 300s --quiet >/dev/null || true
done
sleep 5

for level in $LEVELS; do
    for target in $TARGETS; do
        pid="$ROUTER_PID"; url="$ROUTER_URL"
        if [[ "$target" == relay ]]; then pid="$RELAY_PID"; url="$RELAY_URL"; fi
        if [[ "$target" == router-b ]]; then pid="$COMPARE_PID"; url="$COMPARE_URL"; fi
        idle_rss="$(rss_kib "$pid")"
        samples="$LOG_DIR/samples-$target-$level.txt"
        : >"$samples"
        (
            previous="$(cpu_ticks "$pid")"
            while kill -0 "$pid" 2>/dev/null; do
                sleep 1
                now="$(cpu_ticks "$pid")"
                echo "$(rss_kib "$pid") $(( (now - previous) * 100 / TICKS ))" >>"$samples"
                previous="$now"
                seconds=$((${seconds:-0} + 1))
                if [[ "$target" == router ]] && ((seconds % ${METRICS_EVERY:-30} == 0)); then
                    echo "$seconds s $(orleans_counts)" >>"$LOG_DIR/orleans-$level.txt"
                fi
            done
        ) &
        sampler=$!
        log "machine load: $(uptime)"
        log "level $level, $target (idle RSS $(( idle_rss / 1024 )) MiB): --concurrency $level --ramp $RAMP --duration $DURATION"
        dotnet "$LOADTEST_DLL" router --url "$url" --concurrency "$level" --users "$level" \
            --ramp "$RAMP" --duration "$DURATION" --timeout 300s --quiet --out "$LOG_DIR/level-$target-$level.json" \
            | grep -E '^(requests|throughput|TTFT|chunk gap|outcomes|errors|  )' || true
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        # The hold: from the end of the ramp (+ 10 s, one answer's length, so every stream is open) to the
        # end of DURATION, when the closed loop still keeps all N streams open.
        ramp_s="$(awk -v r="$RAMP" 'BEGIN { n = r + 0; if (r ~ /ms$/) n /= 1000; else if (r ~ /m$/) n *= 60; print int(n) }')"
        duration_s="$(awk -v r="$DURATION" 'BEGIN { n = r + 0; if (r ~ /ms$/) n /= 1000; else if (r ~ /m$/) n *= 60; print int(n) }')"
        median_rss="$(awk -v from="$((ramp_s + 10))" -v to="$duration_s" 'NR > from && NR <= to { print $1 }' "$samples" | sort -n \
            | awk '{ v[NR] = $1 } END { if (NR > 0) print v[int((NR + 1) / 2)], NR; else print 0, 0 }')"
        awk -v idle="$idle_rss" -v n="$level" -v t="$target" -v held="$median_rss" '
            { if ($1 > peak) peak = $1; cpu += $2; count++
              # RSS slope after minute 5 (least squares over one sample a second), for soaks.
              if (NR > 300) { x = NR / 60; y = $1 / 1024; sx += x; sy += y; sxx += x * x; sxy += x * y; m++ } }
            END {
                split(held, parts, " "); median = parts[1]; h = parts[2]; if (h == 0) median = peak
                printf "%-8s    RSS idle %.0f MiB, median while %d streams open %.0f MiB (%d samples): %.1f KiB per open stream; peak %.0f MiB: %.1f KiB per stream; mean CPU %.0f%% of one core over %d s\n",
                    t, idle / 1024, n, median / 1024, h, (median - idle) / n, peak / 1024, (peak - idle) / n, cpu / count, count
                if (m > 60) printf "%-8s    RSS slope after minute 5: %+.2f MiB/min over %d samples\n", t, (m * sxy - sx * sy) / (m * sxx - sx * sx), m
            }' "$samples"
        sleep 5
    done
    if [[ -s "$LOG_DIR/orleans-$level.txt" ]]; then
        log "Orleans bookkeeping at level $level (first, middle, last reading):"
        awk '{ lines[NR] = $0 } END { print lines[1]; print lines[int((NR + 1) / 2)]; print lines[NR] }' "$LOG_DIR/orleans-$level.txt" >&2
    fi
done
