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
# The compose file takes the admin key and Grafana's password from the operator's environment and
# refuses to run without them; placeholders stand in for this validation only.
export ROUTER_ADMIN_KEY="${ROUTER_ADMIN_KEY:-placeholder-for-validation-only}"
export GRAFANA_ADMIN_PASSWORD="${GRAFANA_ADMIN_PASSWORD:-placeholder-for-validation-only}"
docker-compose config -q
if ROUTER_ADMIN_KEY= docker-compose config -q 2>/dev/null; then
    echo "docker-compose.yml must refuse to run without ROUTER_ADMIN_KEY" >&2
    exit 1
fi
if GRAFANA_ADMIN_PASSWORD= docker-compose config -q 2>/dev/null; then
    echo "docker-compose.yml must refuse to run without GRAFANA_ADMIN_PASSWORD" >&2
    exit 1
fi
resolved="$(docker-compose config)"
if grep -q '11434:11434' <<<"$resolved"; then
    echo "docker-compose.yml must not publish Ollama's port" >&2
    exit 1
fi
# The metrics (9464) and Prometheus (9090) stay on the compose network; Grafana only on loopback.
if grep -Eq 'published: *"?(9464|9090)"?|[^0-9](9464|9090):(9464|9090)' <<<"$resolved"; then
    echo "docker-compose.yml must not publish the management port or Prometheus" >&2
    exit 1
fi
if ! grep -q '127.0.0.1:3000:3000' docker-compose.yml; then
    echo "docker-compose.yml must publish Grafana on the host's loopback only (127.0.0.1:3000:3000)" >&2
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
