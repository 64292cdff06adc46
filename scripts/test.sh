#!/usr/bin/env bash
# The project's test command: builds everything in Release, runs every test project (the cluster
# reliability tests start their own Redis, installing redis-server when missing), validates
# docker-compose.yml, then runs a short load test through the web front (20 concurrent streams for
# 15 s, fails on any error). Needs only the .NET SDK and root for apt-get; every other tool is
# installed by the project's own scripts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== build (Release)"
dotnet build Router.sln -c Release -nologo -v quiet

echo "== tests"
dotnet test Router.sln -c Release --no-build -nologo --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=1200000

echo "== docker-compose.yml validation"
"$ROOT/scripts/ci-cluster.sh" --compose-only

echo "== load smoke test"
LOADTEST_SKIP_BUILD=1 "$ROOT/scripts/loadtest-smoke.sh" --quiet
