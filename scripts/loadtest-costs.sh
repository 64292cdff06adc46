#!/usr/bin/env bash
# What one request costs the router: starts the simulator (10-token answers) and the router, warms
# it up, then reads the router's own metrics endpoint before and after a closed-loop run and prints,
# per request: bytes allocated, thread-pool work items, Orleans messages, grain calls, stream items
# read, and process CPU. Stops exactly the processes it started.
#
#   scripts/loadtest-costs.sh                                           # 1,000 requests, 20 at a time
#   REQUESTS=5000 CONCURRENCY=50 scripts/loadtest-costs.sh
#   LOADTEST_ROUTER_ENV=Generation__MaxTurns=0 scripts/loadtest-costs.sh   # without session context
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"
REQUESTS="${REQUESTS:-1000}"
CONCURRENCY="${CONCURRENCY:-20}"

build_all
start_services
METRICS="http://127.0.0.1:$MANAGEMENT_PORT/metrics"

log "warm-up: 400 requests"
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency "$CONCURRENCY" --requests 400 --quiet >/dev/null
curl -fsS "$METRICS" >"$LOG_DIR/metrics-before.txt"
log "measured: $REQUESTS requests, $CONCURRENCY at a time"
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency "$CONCURRENCY" --requests "$REQUESTS" --quiet \
    | grep -E '^(requests|outcomes)' || true
curl -fsS "$METRICS" >"$LOG_DIR/metrics-after.txt"

# Sums every series of a metric in each file and prints the difference per request.
awk -v n="$REQUESTS" '
    FNR == 1 { file++ }
    /^#/ || NF < 2 { next }
    {
        name = $1; sub(/\{.*/, "", name)
        value[file, name] += $NF
    }
    END {
        split("dotnet_gc_heap_total_allocated_bytes_total:bytes allocated|" \
              "dotnet_thread_pool_work_item_count_total:thread-pool work items|" \
              "orleans_messaging_sent_local_total:Orleans messages sent in-process|" \
              "orleans_app_requests_latency_milliseconds_count:grain calls, stream deliveries included|" \
              "orleans_streams_persistent_stream_messages_read_total:lane items read by pulling agents|" \
              "dotnet_gc_collections_total:GCs (all generations)|" \
              "dotnet_process_cpu_time_seconds_total:process CPU seconds", rows, "|")
        printf "per request, over %d requests:\n", n
        for (i = 1; i in rows; i++) {
            split(rows[i], parts, ":")
            d = value[2, parts[1]] - value[1, parts[1]]
            if (parts[1] ~ /cpu_time/) printf "  %-40s %10.3f ms\n", "process CPU", 1000 * d / n
            else printf "  %-40s %10.2f\n", parts[2], d / n
        }
    }' "$LOG_DIR/metrics-before.txt" "$LOG_DIR/metrics-after.txt"
