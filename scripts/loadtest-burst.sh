#!/usr/bin/env bash
# Speed of the lanes, side by side with a floor: builds in Release, starts the Ollama simulator (50 ms
# to the first token), the router and the bare relay (tests/Router.Benchmarks.Relay, no Orleans) on
# free 127.0.0.1 ports, runs `Router.LoadTest burst` (bursts of 1, 50 and 200 simultaneous new
# requests on the direct backend, the relay and the router, interleaved per round; idle CPU and CPU
# per request of the router and the relay) and stops exactly the processes it started.
#
#   scripts/loadtest-burst.sh                                   # bursts 1:30,50:10,200:5
#   scripts/loadtest-burst.sh --bursts 50:20 --pause 1s
#   Streaming__ReceiveWait=00:00:00.050 scripts/loadtest-burst.sh   # router settings from the environment
#   LOADTEST_PORTKEY=1 scripts/loadtest-burst.sh --bursts 1:20,50:6   # Portkey's gateway and the router's OpenAI surface too (TTFT)
#
# LOADTEST_PORTKEY=1 adds Portkey's gateway (scripts/portkey-gateway.sh), relaying to the simulator's
# OpenAI endpoint, and the router through its OpenAI surface as router-oai (LOADTEST_ROUTER_OPENAI=0
# leaves that out); their added TTFT is over the direct Ollama call. CPU per request stays router and relay.
#
# Arguments are passed to the tool; see tests/Router.LoadTest/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

# Short answers (10 tokens, 0.5 s): TTFT is what is measured, and rounds stay quick.
export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"

build_all
if [[ "${LOADTEST_SKIP_BUILD:-0}" != "1" ]]; then
    log "building tests/Router.Benchmarks.Relay (Release)"
    dotnet build "$ROOT/tests/Router.Benchmarks.Relay" -c Release -nologo -v quiet
fi
RELAY_DLL="$(target_path tests/Router.Benchmarks.Relay)"

start_services
ROUTER_PID="${STARTED_PIDS[1]}"
RELAY_URL="http://127.0.0.1:$(free_port)"
start relay "$RELAY_DLL" --urls "$RELAY_URL" "--Relay:BackendUrl=$OLLAMA_URL"
RELAY_PID="$LAST_PID"
wait_ready relay "$RELAY_PID" "$RELAY_URL/health"

args=("$@")
if [[ "${LOADTEST_PORTKEY:-0}" == "1" ]]; then
    source "$ROOT/scripts/portkey-gateway.sh"
    start_portkey
    args+=("${PORTKEY_ARGS[@]}")
fi
if [[ "${LOADTEST_ROUTER_OPENAI:-${LOADTEST_PORTKEY:-0}}" == "1" ]]; then args+=(--router-openai); fi
log "machine load before the run: $(uptime)"
log "running: burst ${args[*]}"
dotnet "$LOADTEST_DLL" burst --url "$ROUTER_URL" --ollama-url "$OLLAMA_URL" --relay-url "$RELAY_URL" \
    --router-pid "$ROUTER_PID" --relay-pid "$RELAY_PID" --clock-ticks "$(getconf CLK_TCK)" "${args[@]}"
log "machine load after the run: $(uptime)"
