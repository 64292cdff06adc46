#!/usr/bin/env bash
# Does a slow grain store hold up the end of an answer? Builds in Release, starts a throwaway
# PostgreSQL (scripts/postgres-start.sh), the Ollama simulator and the router with its session
# state in PostgreSQL (Orleans:Storage:Provider=AdoNet), then runs the same closed-loop load four
# times, alternating a normal store and one slowed by 200 ms per write (a trigger that calls
# pg_sleep on every insert or update of Orleans' storage table). Few users, each sending its next
# prompt the moment the previous answer is done, so every session has writes in flight all the
# time. Prints, per run, total time (request sent to done event) and time to first token, p50/p99,
# and the slowed runs' difference from the normal ones.
#
#   scripts/benchmark-slow-store.sh                     # 4 runs of 400 requests, 10 users, 10 streams
#   SLOW_STORE_DELAY=0.5 scripts/benchmark-slow-store.sh --requests 200
#
# Arguments are passed to `Router.LoadTest router`; see tests/Router.LoadTest/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

# Short answers (10 tokens at 100/s): many answers per second, so many writes per session.
export SIM_TTFT_MS="${SIM_TTFT_MS:-20}" SIM_TOKENS_PER_SECOND="${SIM_TOKENS_PER_SECOND:-100}" SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"
DELAY="${SLOW_STORE_DELAY:-0.2}"

eval "$("$ROOT/scripts/postgres-start.sh" | tail -n 1)"
stop_all() {
    stop_started
    kill -INT "$POSTGRES_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$POSTGRES_PID" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$POSTGRES_DIR"
}
trap stop_all EXIT

sql() {
    PGPASSWORD="$(cat "$POSTGRES_DIR/password")" psql -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$POSTGRES_PORT" -U router -d router -c "$1" >&2
}

export Orleans__Storage__Provider=AdoNet Orleans__Storage__ConnectionString="$POSTGRES_CONNECTION"
build_all
start_services

sql "CREATE OR REPLACE FUNCTION router_bench_slow_write() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN PERFORM pg_sleep($DELAY); RETURN NEW; END \$\$;"

# Session state versions written so far (each write of a grain's state adds one).
versions() {
    PGPASSWORD="$(cat "$POSTGRES_DIR/password")" psql -X -A -t -h 127.0.0.1 -p "$POSTGRES_PORT" -U router -d router \
        -c "SELECT coalesce(sum(version), 0) FROM orleansstorage;"
}

run() {
    local name="$1" before
    shift
    before="$(versions)"
    log "run $name: router --concurrency 10 --users 10 --requests 400 --warmup 10 $*"
    dotnet "$LOADTEST_DLL" router --url "$ROUTER_URL" --concurrency 10 --users 10 --requests 400 --warmup 10 \
        --quiet --fail-on-error --out "$LOG_DIR/$name.json" "$@" >"$LOG_DIR/$name.txt"
    # Writes still behind when the run ends are counted with the next run.
    echo $(($(versions) - before)) >"$LOG_DIR/$name.writes"
}

log "machine load before the runs: $(uptime)"
for round in 1 2; do
    sql "DROP TRIGGER IF EXISTS router_bench_slow ON orleansstorage;"
    run "normal-$round" "$@"
    sql "CREATE TRIGGER router_bench_slow BEFORE INSERT OR UPDATE ON orleansstorage
         FOR EACH ROW EXECUTE FUNCTION router_bench_slow_write();"
    run "slowed-$round" "$@"
done
log "machine load after the runs: $(uptime)"

python3 - "$LOG_DIR" "$DELAY" <<'PY'
import json, sys
log_dir, delay = sys.argv[1], float(sys.argv[2])
names = ["normal-1", "slowed-1", "normal-2", "slowed-2"]
runs = {n: json.load(open(f"{log_dir}/{n}.json"))["runs"][0] for n in names}
print(f"store writes slowed by {delay * 1000:.0f} ms each in the slowed runs")
print(f"{'run':<10} {'done':>5} {'writes':>7} {'total p50':>10} {'total p99':>10} {'ttft p50':>9} {'ttft p99':>9}")
for n in names:
    r = runs[n]
    writes = open(f"{log_dir}/{n}.writes").read().strip()
    print(f"{n:<10} {r['done']:>5} {writes:>7} {r['total_ms']['p50']:>10.1f} {r['total_ms']['p99']:>10.1f} "
          f"{r['ttft_ms']['p50']:>9.1f} {r['ttft_ms']['p99']:>9.1f}")
for q in ("p50", "p99"):
    normal = sum(runs[n]["total_ms"][q] for n in names if n.startswith("normal")) / 2
    slowed = sum(runs[n]["total_ms"][q] for n in names if n.startswith("slowed")) / 2
    print(f"total {q}: normal {normal:.1f} ms, slowed {slowed:.1f} ms, slowed - normal {slowed - normal:+.1f} ms")
PY
