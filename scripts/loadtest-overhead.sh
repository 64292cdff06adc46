#!/usr/bin/env bash
# Measures what the router adds over calling the backend directly: builds in Release, starts the
# Ollama simulator and the router on free 127.0.0.1 ports, runs `Router.LoadTest overhead` (direct,
# then router, same workload) and stops exactly the processes it started.
#
#   scripts/loadtest-overhead.sh                          # --concurrency 50 --duration 20s --warmup 100
#   scripts/loadtest-overhead.sh --concurrency 200 --duration 30s --html overhead.html
#   SIM_RESPONSE_TOKENS=30 scripts/loadtest-overhead.sh --rate 100 --ramp 5s
#
# Arguments are passed to the tool; see tests/Router.LoadTest/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

args=("$@")
if ! has_option --concurrency --rate -- "${args[@]}"; then args=(--concurrency 50 "${args[@]}"); fi
if ! has_option --duration --requests -- "${args[@]}"; then args=(--duration 20s "${args[@]}"); fi
# Without a warm-up the first wave pays for JIT and connection set-up on both sides, and the client is
# already warm for the second (router) run. 100 covers every default user (max(concurrency, 100)), so
# the router's per-user activations happen before measuring; raise it with --users or --concurrency.
if ! has_option --warmup -- "${args[@]}"; then args=(--warmup 100 "${args[@]}"); fi

# 40 tokens at 20 tokens/s: 2 s answers, so a 20 s run collects hundreds of TTFT samples, not dozens.
export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-40}"

build_all
start_services
log "running: overhead ${args[*]}"
dotnet "$LOADTEST_DLL" overhead --url "$ROUTER_URL" --ollama-url "$OLLAMA_URL" "${args[@]}"
