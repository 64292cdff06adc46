#!/usr/bin/env bash
# What the request log costs, side by side in one run: the same router build twice, its request log on
# (SQLite, a fresh file) and off (RequestLog__Enabled=false), against the same Ollama simulator.
# `Router.LoadTest burst` interleaves the two per round; the log-off router takes the tool's "relay"
# slot, so in the report "router" is the log on and "relay" the log off. The figure to read is the
# section "CPU per round": the median of the per-round ratios (log on / log off, both routers measured
# over the same round), their interquartile range and a 95 % interval of the median. One ratio per
# round cancels what the machine's other load does to both; many rounds narrow the median.
# Stops exactly the processes it started.
#
#   LOADTEST_SKIP_BUILD=1 scripts/loadtest-requestlog.sh          # 40 rounds of 50, 20 of 200: about 7 minutes
#   LOADTEST_SKIP_BUILD=1 scripts/loadtest-requestlog.sh --bursts 50:12 --warmup-rounds 3 --idle 5s   # a short check
#
# Arguments replace the defaults and are passed to the tool; see tests/Router.LoadTest/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"
export LOADTEST_ROUTER_ENV="${LOADTEST_ROUTER_ENV:-} RequestLog__Path=$LOG_DIR/requests.db"

build_all
start_services
LOG_ON_PID="${STARTED_PIDS[1]}"

OFF_PORT="$(free_port)"
OFF_URL="http://127.0.0.1:$OFF_PORT"
(cd "$(dirname "$ROUTER_DLL")" && exec env RequestLog__Enabled=false dotnet "$ROUTER_DLL" --urls "$OFF_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
    "--Orleans:SiloPort=$(free_port)" "--Orleans:GatewayPort=$(free_port)" \
    "--WebFront:ManagementUrl=http://127.0.0.1:$(free_port)") >"$LOG_DIR/router-log-off.log" 2>&1 &
LOG_OFF_PID=$!
STARTED_PIDS+=("$LOG_OFF_PID")
log "router with the request log off started (pid $LOG_OFF_PID, log $LOG_DIR/router-log-off.log)"
wait_ready router-log-off "$LOG_OFF_PID" "$OFF_URL/health"

ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 ]]; then
    ARGS=(--bursts 50:40,200:20 --warmup-rounds 20)
fi

log "machine load before the run: $(uptime)"
log "running: burst ${ARGS[*]} (router = request log on, relay = request log off)"
dotnet "$LOADTEST_DLL" burst --url "$ROUTER_URL" --ollama-url "$OLLAMA_URL" --relay-url "$OFF_URL" \
    --router-pid "$LOG_ON_PID" --relay-pid "$LOG_OFF_PID" --clock-ticks "$(getconf CLK_TCK)" "${ARGS[@]}"
log "rows in the log-on router's file: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from request_log').fetchone()[0])" "$LOG_DIR/requests.db" 2>/dev/null || echo '?')"
log "machine load after the run: $(uptime)"
