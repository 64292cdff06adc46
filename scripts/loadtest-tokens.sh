#!/usr/bin/env bash
# CPU per token and fixed CPU per request, relay and router side by side: builds in Release, starts the
# Ollama simulator, the router and the bare relay (tests/Router.Benchmarks.Relay) on free 127.0.0.1
# ports, runs `Router.LoadTest tokens` (batches of simultaneous requests at two answer lengths, asked of
# the simulator per request with a [[sim:tokens=N,tps=R]] directive; each target's CPU read from
# /proc/<pid>/stat around each of its batches) and stops exactly the processes it started.
# CPU per token is the slope between the two lengths, the fixed CPU per request the intercept.
#
#   scripts/loadtest-tokens.sh                                   # 20@20ms,200@2ms, batches 20:10, 3 warm-up rounds
#   scripts/loadtest-tokens.sh --bursts 50:10 --answers 20@50ms,200@5ms
#   LOADTEST_ROUTER_DLL=/tmp/other/Router.WebFront.dll scripts/loadtest-tokens.sh   # another router build
#   LOADTEST_COMPARE_DLL=/tmp/before/Router.WebFront.dll scripts/loadtest-tokens.sh # A/B: that build too, as router-b, same run
#   LOADTEST_PORTKEY=1 scripts/loadtest-tokens.sh --bursts 20:20                  # Portkey's gateway too (scripts/portkey-gateway.sh)
#
# LOADTEST_PORTKEY=1 adds Portkey's gateway (Node; installed once with npm into a cache directory),
# relaying OpenAI's /v1/chat/completions to the simulator's OpenAI endpoint, and the router driven the
# same way, through its own OpenAI surface, as router-oai (LOADTEST_ROUTER_OPENAI=0 leaves that out).
# The relay and the router's /complete keep talking to the simulator's Ollama endpoint.
#
# Arguments are passed to the tool; see tests/Router.LoadTest/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

# The directive's digits send some prompts to the code or math model; the classifier still runs for
# every request, but all its routes lead to the relay's model, so both serve the same answers.
export LOADTEST_ROUTER_ENV="Classifier__Routing__Routes__code=llama3.2 Classifier__Routing__Routes__math=llama3.2 ${LOADTEST_ROUTER_ENV:-}"

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
if [[ -n "${LOADTEST_COMPARE_DLL:-}" ]]; then
    # Its own silo, gateway and management ports, so both routers run side by side as separate clusters.
    COMPARE_URL="http://127.0.0.1:$(free_port)"
    start router-b "$LOADTEST_COMPARE_DLL" --urls "$COMPARE_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
        "--Orleans:SiloPort=$(free_port)" "--Orleans:GatewayPort=$(free_port)" \
        "--WebFront:ManagementUrl=http://127.0.0.1:$(free_port)" \
        --Classifier:Routing:Routes:code=llama3.2 --Classifier:Routing:Routes:math=llama3.2
    COMPARE_PID="$LAST_PID"
    wait_ready router-b "$COMPARE_PID" "$COMPARE_URL/health"
    args+=(--compare-url "$COMPARE_URL" --compare-pid "$COMPARE_PID")
fi
if [[ "${LOADTEST_PORTKEY:-0}" == "1" ]]; then
    source "$ROOT/scripts/portkey-gateway.sh"
    start_portkey
    args+=("${PORTKEY_ARGS[@]}")
fi
if [[ "${LOADTEST_ROUTER_OPENAI:-${LOADTEST_PORTKEY:-0}}" == "1" ]]; then args+=(--router-openai); fi
has_option --warmup-rounds -- "$@" || args+=(--warmup-rounds 3)
has_option --pause -- "$@" || args+=(--pause 300ms)
log "machine load before the run: $(uptime)"
log "running: tokens ${args[*]}"
dotnet "$LOADTEST_DLL" tokens --url "$ROUTER_URL" --relay-url "$RELAY_URL" \
    --router-pid "$ROUTER_PID" --relay-pid "$RELAY_PID" --clock-ticks "$(getconf CLK_TCK)" "${args[@]}"
log "machine load after the run: $(uptime)"
