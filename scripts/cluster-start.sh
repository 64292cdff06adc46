#!/usr/bin/env bash
# Starts a local router cluster on 127.0.0.1 and returns once every part answers:
#   Redis (membership + grain state), the classifier service (:8000), the Ollama simulator (:11434),
#   three silos (silo ports 11111-11113, gateways 30000-30002; metrics on their management endpoints,
#   127.0.0.1:9474-9476) and two web fronts (:8080, :8081; metrics on 127.0.0.1:9464 and :9465).
# scripts/cluster-stop.sh stops exactly what this started (by pid).
#
# Environment (all optional):
#   CLUSTER_DIR            state and logs (default /tmp/router-cluster)
#   CLUSTER_SILOS          number of silos (3)        CLUSTER_WEBFRONTS   number of web fronts (2)
#   CLUSTER_WEB_PORT       first web front port (8080)
#   CLUSTER_MANAGEMENT_PORT  first web front management (metrics) port (9464)
#   CLUSTER_SILO_MANAGEMENT_PORT  first silo management (metrics) port (9474)
#   CLUSTER_OLLAMA_URL     use this Ollama instead of starting the simulator on :11434
#   CLUSTER_SKIP_BUILD=1   use the existing Release build
#   CLUSTER_TLS=0          plain TCP between silos and web fronts (default: mutual TLS with a
#                          certificate made once into $CLUSTER_DIR/tls, as a deployment beyond
#                          loopback must use; see docs/SECURITY.md)
#   CLUSTER_READY_TIMEOUT  seconds to wait for each service (120)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CLUSTER_DIR:-/tmp/router-cluster}"
SILOS="${CLUSTER_SILOS:-3}"
WEBFRONTS="${CLUSTER_WEBFRONTS:-2}"
WEB_PORT="${CLUSTER_WEB_PORT:-8080}"
MANAGEMENT_PORT="${CLUSTER_MANAGEMENT_PORT:-9464}"
SILO_MANAGEMENT_PORT="${CLUSTER_SILO_MANAGEMENT_PORT:-9474}"
READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-120}"

log() { printf '[cluster] %s\n' "$*" >&2; }

if [[ -s "$DIR/pids" ]]; then
    log "a cluster started from $DIR seems to be running; run scripts/cluster-stop.sh first"
    exit 1
fi
mkdir -p "$DIR/logs"
: >"$DIR/pids"

# If anything below fails, stop what was already started.
trap 'status=$?; if ((status != 0)); then log "start failed; stopping what was started"; CLUSTER_DIR="$DIR" "$ROOT/scripts/cluster-stop.sh"; fi' EXIT

projects=(src/Silo src/WebFront classifier/Router.Classifier.Service)
[[ -z "${CLUSTER_OLLAMA_URL:-}" ]] && projects+=(tests/Router.OllamaSimulator)
if [[ "${CLUSTER_SKIP_BUILD:-0}" != "1" ]]; then
    for project in "${projects[@]}"; do
        log "building $project (Release)"
        dotnet build "$ROOT/$project" -c Release -nologo -v quiet >&2
    done
fi
dll() { dotnet msbuild "$ROOT/$1" -nologo -getProperty:TargetPath -p:Configuration=Release; }

# start <name> <dll> <args...>: runs the assembly from its output directory, logs to $DIR/logs/<name>.log.
start() {
    local name="$1" assembly="$2"
    shift 2
    (cd "$(dirname "$assembly")" && exec setsid dotnet "$assembly" "$@") </dev/null >"$DIR/logs/$name.log" 2>&1 &
    echo "$! $name" >>"$DIR/pids"
    log "$name started (pid $!, log $DIR/logs/$name.log)"
}

wait_ready() {
    local name="$1" url="$2" deadline=$((SECONDS + READY_TIMEOUT)) pid
    pid="$(awk -v n="$name" '$2 == n { print $1 }' "$DIR/pids")"
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited; last lines of its log:"; tail -n 30 "$DIR/logs/$name.log" >&2; return 1
        fi
        if curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; then log "$name ready at $url"; return 0; fi
        sleep 0.5
    done
    log "$name not ready at $url after ${READY_TIMEOUT}s"; tail -n 30 "$DIR/logs/$name.log" >&2; return 1
}

wait_log() {
    local name="$1" pattern="$2" deadline=$((SECONDS + READY_TIMEOUT)) pid
    pid="$(awk -v n="$name" '$2 == n { print $1 }' "$DIR/pids")"
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited; last lines of its log:"; tail -n 30 "$DIR/logs/$name.log" >&2; return 1
        fi
        if grep -q "$pattern" "$DIR/logs/$name.log" 2>/dev/null; then log "$name ready"; return 0; fi
        sleep 0.5
    done
    log "$name not ready after ${READY_TIMEOUT}s"; tail -n 30 "$DIR/logs/$name.log" >&2; return 1
}

# Redis: a private instance, data (append-only file) in $DIR/redis.
redis_line="$(REDIS_DIR="$DIR/redis" "$ROOT/scripts/redis-start.sh" "${CLUSTER_REDIS_PORT:-}" | tail -n 1)"
eval "$redis_line"
echo "$REDIS_PID redis" >>"$DIR/pids"
REDIS="127.0.0.1:$REDIS_PORT"

start classifier "$(dll classifier/Router.Classifier.Service)" --urls http://127.0.0.1:8000
if [[ -z "${CLUSTER_OLLAMA_URL:-}" ]]; then
    OLLAMA_URL=http://127.0.0.1:11434
    start simulator "$(dll tests/Router.OllamaSimulator)" --urls "$OLLAMA_URL"
else
    OLLAMA_URL="$CLUSTER_OLLAMA_URL"
fi

# The cluster's certificate: self-signed, pinned by every silo and web front (Orleans:Tls:*). Only
# this user can read it, so the PKCS#12 file has no password.
if [[ "${CLUSTER_TLS:-1}" != "0" && ! -s "$DIR/tls/cluster.pfx" ]]; then
    mkdir -p "$DIR/tls" && chmod 700 "$DIR/tls"
    openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes -subj /CN=router-cluster \
        -addext extendedKeyUsage=serverAuth,clientAuth -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
    openssl pkcs12 -export -inkey "$DIR/tls/key.pem" -in "$DIR/tls/cert.pem" -out "$DIR/tls/cluster.pfx" -passout pass:
    rm -f "$DIR/tls/key.pem"
    chmod 600 "$DIR/tls/cluster.pfx"
    log "cluster certificate made: $DIR/tls/cluster.pfx"
fi
tls=()
[[ "${CLUSTER_TLS:-1}" != "0" ]] && tls=("--Orleans:Tls:CertificatePath=$DIR/tls/cluster.pfx")

common=(
    "${tls[@]}"
    --Orleans:Clustering:Provider=Redis "--Orleans:Clustering:ConnectionString=$REDIS"
    --Orleans:Storage:Provider=Redis
    --Orleans:ClusterId=local --Orleans:ServiceId=router
    "--Ollama:BaseUrl=$OLLAMA_URL" --Classifier:Url=http://127.0.0.1:8000/complete
)
silo_dll="$(dll src/Silo)"
for i in $(seq 1 "$SILOS"); do
    start "silo$i" "$silo_dll" "${common[@]}" "--Orleans:SiloPort=$((11110 + i))" "--Orleans:GatewayPort=$((29999 + i))" \
        "--Silo:ManagementUrl=http://127.0.0.1:$((SILO_MANAGEMENT_PORT + i - 1))"
done

wait_ready classifier http://127.0.0.1:8000/health
[[ -z "${CLUSTER_OLLAMA_URL:-}" ]] && wait_ready simulator "$OLLAMA_URL/api/version"
for i in $(seq 1 "$SILOS"); do wait_log "silo$i" "Silo active"; done

web_dll="$(dll src/WebFront)"
for i in $(seq 1 "$WEBFRONTS"); do
    start "webfront$i" "$web_dll" "${common[@]}" --WebFront:CoHostSilo=false --urls "http://127.0.0.1:$((WEB_PORT + i - 1))" \
        "--WebFront:ManagementUrl=http://127.0.0.1:$((MANAGEMENT_PORT + i - 1))"
done
for i in $(seq 1 "$WEBFRONTS"); do wait_ready "webfront$i" "http://127.0.0.1:$((WEB_PORT + i - 1))/health"; done

echo "$REDIS" >"$DIR/redis-address"
log "cluster up: web fronts on ports $(seq -s ' ' "$WEB_PORT" $((WEB_PORT + WEBFRONTS - 1))), redis $REDIS, logs in $DIR/logs"
log "stop it with: scripts/cluster-stop.sh"
