# Shared by scripts/loadtest-overhead.sh and scripts/loadtest-smoke.sh (sourced, not run):
# builds in Release, starts the Ollama simulator and the router on free 127.0.0.1 ports, waits
# until both answer, and stops exactly the processes it started when the calling script exits.
#
# Environment (all optional):
#   SIM_TTFT_MS, SIM_TOKENS_PER_SECOND, SIM_RESPONSE_TOKENS   simulator behaviour (50, 20, 200)
#   LOADTEST_LOG_DIR                                          where process logs go (a new temp dir)
#   LOADTEST_READY_TIMEOUT                                    seconds to wait for each service (90)
#   LOADTEST_SKIP_BUILD=1                                     use the existing Release build
#   LOADTEST_ROUTER_DLL                                       run this router build instead (e.g. an older commit's)
#   LOADTEST_ROUTER_ENV="NAME=value ..."                      environment of the router process only

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_DIR="${LOADTEST_LOG_DIR:-$(mktemp -d -t router-loadtest.XXXXXX)}"
mkdir -p "$LOG_DIR"
READY_TIMEOUT="${LOADTEST_READY_TIMEOUT:-90}"
STARTED_PIDS=()

log() { printf '[loadtest] %s\n' "$*" >&2; }

stop_started() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${STARTED_PIDS[@]}"; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop on TERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    STARTED_PIDS=()
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    log "no free port found"
    return 1
}

# target_path <project dir>: the built assembly, as MSBuild names it for the Release configuration.
target_path() {
    dotnet msbuild "$ROOT/$1" -nologo -getProperty:TargetPath -p:Configuration=Release
}

build_all() {
    if [[ "${LOADTEST_SKIP_BUILD:-0}" == "1" ]]; then
        log "skipping build (LOADTEST_SKIP_BUILD=1)"
    else
        local project
        for project in tests/Router.OllamaSimulator src/WebFront tests/Router.LoadTest; do
            log "building $project (Release)"
            dotnet build "$ROOT/$project" -c Release -nologo -v quiet
        done
    fi
    SIMULATOR_DLL="$(target_path tests/Router.OllamaSimulator)"
    ROUTER_DLL="${LOADTEST_ROUTER_DLL:-$(target_path src/WebFront)}"
    LOADTEST_DLL="$(target_path tests/Router.LoadTest)"
}

# start <name> <dll> <args...>: runs the assembly from its output directory (so its appsettings are
# found) in the background, logging to $LOG_DIR/<name>.log, and records the pid of the process itself.
start() {
    local name="$1" dll="$2"
    shift 2
    local extra_env=()
    # LOADTEST_ROUTER_ENV="NAME=value ...": environment for the router process only (runtime knobs to compare).
    if [[ "$name" == "router" && -n "${LOADTEST_ROUTER_ENV:-}" ]]; then read -r -a extra_env <<<"$LOADTEST_ROUTER_ENV"; fi
    (cd "$(dirname "$dll")" && exec env "${extra_env[@]}" dotnet "$dll" "$@") >"$LOG_DIR/$name.log" 2>&1 &
    local pid=$!
    STARTED_PIDS+=("$pid")
    log "$name started (pid $pid, log $LOG_DIR/$name.log)"
    LAST_PID="$pid"
}

# wait_ready <name> <pid> <url>: polls until the URL answers 2xx, the process dies, or time runs out.
wait_ready() {
    local name="$1" pid="$2" url="$3" deadline=$((SECONDS + READY_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited before becoming ready; last lines of its log:"
            tail -n 30 "$LOG_DIR/$name.log" >&2 || true
            return 1
        fi
        if curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; then
            log "$name ready at $url"
            return 0
        fi
        sleep 0.5
    done
    log "$name not ready at $url after ${READY_TIMEOUT}s; last lines of its log:"
    tail -n 30 "$LOG_DIR/$name.log" >&2 || true
    return 1
}

start_services() {
    SIM_PORT="$(free_port)"
    ROUTER_PORT="$(free_port)"
    SILO_PORT="$(free_port)"
    GATEWAY_PORT="$(free_port)"
    MANAGEMENT_PORT="$(free_port)"
    OLLAMA_URL="http://127.0.0.1:$SIM_PORT"
    ROUTER_URL="http://127.0.0.1:$ROUTER_PORT"

    start simulator "$SIMULATOR_DLL" --urls "$OLLAMA_URL" \
        "--Simulator:TimeToFirstTokenMs=${SIM_TTFT_MS:-50}" \
        "--Simulator:TokensPerSecond=${SIM_TOKENS_PER_SECOND:-20}" \
        "--Simulator:ResponseTokens=${SIM_RESPONSE_TOKENS:-200}"
    local sim_pid="$LAST_PID"

    # The silo, gateway and management ports are free ones too, so a router already running on this machine does not collide.
    start router "$ROUTER_DLL" --urls "$ROUTER_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
        "--Orleans:SiloPort=$SILO_PORT" "--Orleans:GatewayPort=$GATEWAY_PORT" \
        "--WebFront:ManagementUrl=http://127.0.0.1:$MANAGEMENT_PORT"
    local router_pid="$LAST_PID"

    wait_ready simulator "$sim_pid" "$OLLAMA_URL/api/version"
    wait_ready router "$router_pid" "$ROUTER_URL/health"
}

# has_option <name...> -- <args...>: true when any of the names appears among the args.
has_option() {
    local names=() arg
    while [[ $# -gt 0 && "$1" != "--" ]]; do names+=("$1"); shift; done
    shift || true
    for arg in "$@"; do
        for name in "${names[@]}"; do
            [[ "$arg" == "$name" || "$arg" == "$name="* ]] && return 0
        done
    done
    return 1
}
