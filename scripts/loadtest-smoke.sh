#!/usr/bin/env bash
# CI smoke test under load: builds in Release, starts the Ollama simulator and the router on free
# 127.0.0.1 ports, drives 20 concurrent streams for 15 s and fails unless every request ends with
# done. No timing assertion: shared CI machines are too noisy for one.
#
#   scripts/loadtest-smoke.sh [extra Router.LoadTest options, e.g. --html smoke.html]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

# Short answers keep the smoke test about many requests rather than long ones.
export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-40}"

build_all
start_services
log "running: router --concurrency 20 --duration 15s --fail-on-error $*"
dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency 20 --duration 15s --fail-on-error "$@"
