#!/usr/bin/env bash
# What the request log costs, side by side: the same router build twice, its request log on (SQLite,
# a fresh file) and off (RequestLog__Enabled=false), against one Ollama simulator, driven by
# `Router.LoadTest burst`, which interleaves them per round and reports, in its section "CPU per
# round", the median of the per-round ratios (tool's "router" / tool's "relay", both measured over
# the same round), their interquartile range and a 95 % interval of the median.
#
# One pair of processes is not enough: with the log off in both, two processes of one build differed
# by 7-50 % in CPU per request, steadily through a pass, in either direction (an A/A check on a loaded
# machine). Such a difference belongs to the pair, not to the log, so the script starts a new pair for
# each pass (LOADTEST_PAIRS, default 4), alternating which router starts first and which takes the
# tool's "router" slot, and reports per pass the log-on / log-off median, then the median and the
# geometric mean over the passes. Stops exactly the processes it started.
#
#   LOADTEST_SKIP_BUILD=1 scripts/loadtest-requestlog.sh      # 4 pairs x (16 warm-up + 15 rounds of 50): 60 rounds, about 10 minutes
#   LOADTEST_SKIP_BUILD=1 LOADTEST_PAIRS=2 scripts/loadtest-requestlog.sh --bursts 50:10 --warmup-rounds 5 --idle 3s   # a short check
#
# Arguments replace the defaults of each pass and are passed to the tool; see tests/Router.LoadTest/README.md.
# LOADTEST_ROUTER_ENV="NAME=value ..." adds environment to the log-on router; LOADTEST_SECOND_ROUTER_ENV
# to the log-off one. RequestLog__Enabled=false in LOADTEST_ROUTER_ENV is an A/A check: the spread of
# its passes around 1.00 is what the measurement can resolve on that machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"
PAIRS="${LOADTEST_PAIRS:-4}"
read -r -a extra_on <<<"${LOADTEST_ROUTER_ENV:-}"
read -r -a extra_off <<<"${LOADTEST_SECOND_ROUTER_ENV:-}"
ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 ]]; then
    ARGS=(--bursts 50:15 --warmup-rounds 16)
fi

build_all
SIM_PORT="$(free_port)"
OLLAMA_URL="http://127.0.0.1:$SIM_PORT"
start simulator "$SIMULATOR_DLL" --urls "$OLLAMA_URL" "--Simulator:TimeToFirstTokenMs=${SIM_TTFT_MS:-50}" \
    "--Simulator:TokensPerSecond=${SIM_TOKENS_PER_SECOND:-20}" "--Simulator:ResponseTokens=$SIM_RESPONSE_TOKENS"
wait_ready simulator "$LAST_PID" "$OLLAMA_URL/api/version"

# start_router <name> <env...>: a router on free ports; sets R_PID and R_URL once it answers.
start_router() {
    local name="$1"
    shift
    R_URL="http://127.0.0.1:$(free_port)"
    (cd "$(dirname "$ROUTER_DLL")" && exec env "$@" dotnet "$ROUTER_DLL" --urls "$R_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
        "--Orleans:SiloPort=$(free_port)" "--Orleans:GatewayPort=$(free_port)" \
        "--WebFront:ManagementUrl=http://127.0.0.1:$(free_port)") >"$LOG_DIR/$name.log" 2>&1 &
    R_PID=$!
    STARTED_PIDS+=("$R_PID")
    log "$name started (pid $R_PID, log $LOG_DIR/$name.log)"
    wait_ready "$name" "$R_PID" "$R_URL/health"
}

stop_router() {
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

for pair in $(seq 1 "$PAIRS"); do
    on_env=("RequestLog__Path=$LOG_DIR/requests-$pair.db" "${extra_on[@]}")
    off_env=(RequestLog__Enabled=false "${extra_off[@]}")
    if ((pair % 2 == 1)); then
        start_router "log-on-$pair" "${on_env[@]}"; ON_PID=$R_PID ON_URL=$R_URL
        start_router "log-off-$pair" "${off_env[@]}"; OFF_PID=$R_PID OFF_URL=$R_URL
    else
        start_router "log-off-$pair" "${off_env[@]}"; OFF_PID=$R_PID OFF_URL=$R_URL
        start_router "log-on-$pair" "${on_env[@]}"; ON_PID=$R_PID ON_URL=$R_URL
    fi

    # Odd passes put the log-on router in the tool's "router" slot, even ones in its "relay" slot.
    slot=router
    set -- "$ON_URL" "$ON_PID" "$OFF_URL" "$OFF_PID"
    if (((pair / 2) % 2 == 1)); then slot=relay; set -- "$OFF_URL" "$OFF_PID" "$ON_URL" "$ON_PID"; fi
    log "pass $pair: burst ${ARGS[*]}, log on in the $slot slot (pid $ON_PID, log off pid $OFF_PID); machine load: $(uptime)"
    dotnet "$LOADTEST_DLL" burst --url "$1" --ollama-url "$OLLAMA_URL" --relay-url "$3" \
        --router-pid "$2" --relay-pid "$4" --clock-ticks "$(getconf CLK_TCK)" "${ARGS[@]}" | tee "$LOG_DIR/pass-$pair.txt"
    echo "$slot" >"$LOG_DIR/pass-$pair.slot"
    log "rows in pass $pair's log: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from request_log').fetchone()[0])" "$LOG_DIR/requests-$pair.db" 2>/dev/null || echo '?')"
    stop_router "$ON_PID"
    stop_router "$OFF_PID"
done

# Each pass's "CPU per round" lines (burst, rounds, median, IQR, interval, totals, ...), turned to log on / log off.
echo
echo "== request log on / off: per pass (a new pair of routers each), then over the passes"
for pair in $(seq 1 "$PAIRS"); do
    awk -v pair="$pair" -v slot="$(cat "$LOG_DIR/pass-$pair.slot")" '
        /^== CPU per round/ { section = 1; next }
        section && /^ *[0-9]+ +[0-9]+ +[0-9.]+x/ {
            m = $3 + 0; t = $6 + 0
            if (slot == "relay" && m > 0 && t > 0) { m = 1 / m; t = 1 / t }
            printf "%s %s %s %.4f %.4f\n", $1, pair, slot, m, t
        }
        section && /^ratios/ { section = 0 }' "$LOG_DIR/pass-$pair.txt"
done | sort -n -k1,1 -k2,2 | awk '
    { size[NR] = $1; line[NR] = $0; n[$1]++; med[$1, n[$1]] = $4; tot[$1, n[$1]] = $5; logsum[$1] += log($4) }
    END {
        printf "%6s %5s %6s %14s %14s\n", "burst", "pass", "slot", "median on/off", "totals on/off"
        for (i = 1; i <= NR; i++) { split(line[i], f, " "); printf "%6s %5s %6s %13.3fx %13.3fx\n", f[1], f[2], f[3], f[4], f[5] }
        for (s in n) {
            k = n[s]
            for (i = 1; i <= k; i++) v[i] = med[s, i]
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
            mid = (k % 2 == 1) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
            printf "burst of %s: %d passes, median of the passes %.3fx, geometric mean %.3fx, range %.3f-%.3fx\n", s, k, mid, exp(logsum[s] / k), v[1], v[k]
        }
    }'
log "machine load after the run: $(uptime)"
