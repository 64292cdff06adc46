#!/usr/bin/env bash
# The project's test command: builds everything in Release, runs every test project (the cluster
# reliability tests start their own Redis, installing redis-server when missing; the console's
# browser tests drive Debian's chromium, installed here when /usr/bin/chromium is missing), validates
# docker-compose.yml, then runs a short load test through the web front (20 concurrent streams for
# 15 s, fails on any error). Needs only the .NET SDK and root for apt-get; every other tool is
# installed by the project's own scripts.
#
#   scripts/test.sh          everything: fast and slow tests, compose validation, load smoke test
#   scripts/test.sh --fast   build + the tests not marked [Trait("Category", "Slow")] (no Redis, no smoke test)
#   scripts/test.sh --slow   build + only the slow tests (cluster processes, fuzzing, retraining)
set -euo pipefail
MODE="${1:-all}"
case "$MODE" in
    all|--fast|--slow) ;;
    *) echo "usage: $0 [--fast|--slow]" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The console's browser tests (slow) drive Debian's Chromium through Playwright; no browser is
# ever downloaded by Playwright itself.
if [[ "$MODE" != --fast && ! -x /usr/bin/chromium ]]; then
    echo "== installing Debian's chromium for the console's browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium
fi

echo "== build (Release)"
dotnet build Router.sln -c Release -nologo -v quiet

FILTER=()
case "$MODE" in
    --fast) FILTER=(--filter "Category!=Slow") ;;
    --slow) FILTER=(--filter "Category=Slow") ;;
esac

echo "== tests${FILTER[*]:+ (${FILTER[*]})}"
dotnet test Router.sln -c Release --no-build -nologo "${FILTER[@]}" --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=1200000

if [[ "$MODE" != all ]]; then
    exit 0
fi

echo "== docker-compose.yml validation"
"$ROOT/scripts/ci-cluster.sh" --compose-only

echo "== load smoke test"
LOADTEST_SKIP_BUILD=1 "$ROOT/scripts/loadtest-smoke.sh" --quiet
