#!/usr/bin/env bash
# CI for cluster mode. Installs what it needs from Debian (redis-server, docker-compose) when
# missing, validates docker-compose.yml with `docker-compose config`, and runs the reliability
# tests (tests/Router.Cluster.Tests) against the built silo and web front.
#
# Usage: scripts/ci-cluster.sh [--compose-only]
#   --compose-only   only validate docker-compose.yml (for a CI that already runs every test
#                    project of Router.sln, which includes Router.Cluster.Tests)
# Environment: CONFIGURATION (Release), ROUTER_RELIABILITY_DIR (where figures.md is written).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"

missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[[ "${1:-}" == "--compose-only" ]] || command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ((${#missing[@]} > 0)); then
    echo "== installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== docker-compose config"
# The compose file takes the admin key from the operator's environment and refuses to run without
# one; a placeholder stands in for this validation only.
ROUTER_ADMIN_KEY="${ROUTER_ADMIN_KEY:-placeholder-for-validation-only}" docker-compose config -q
if ROUTER_ADMIN_KEY= docker-compose config -q 2>/dev/null; then
    echo "docker-compose.yml must refuse to run without ROUTER_ADMIN_KEY" >&2
    exit 1
fi
if ROUTER_ADMIN_KEY=x docker-compose config | grep -q '11434:11434'; then
    echo "docker-compose.yml must not publish Ollama's port" >&2
    exit 1
fi
echo "docker-compose.yml is valid"
[[ "${1:-}" == "--compose-only" ]] && exit 0

echo "== build the hosts the tests launch ($CONFIGURATION)"
dotnet build src/Silo -c "$CONFIGURATION" -nologo -v quiet
dotnet build src/WebFront -c "$CONFIGURATION" -nologo -v quiet

echo "== cluster reliability tests"
export ROUTER_CLUSTER_CONFIGURATION="$CONFIGURATION"
export ROUTER_RELIABILITY_DIR="${ROUTER_RELIABILITY_DIR:-$(mktemp -d -t router-reliability.XXXXXX)}"
dotnet test tests/Router.Cluster.Tests -c "$CONFIGURATION" -nologo --logger "console;verbosity=normal"
echo "figures: $ROUTER_RELIABILITY_DIR/figures.md"
cat "$ROUTER_RELIABILITY_DIR/figures.md"
