#!/usr/bin/env bash
# Starts a private Redis on 127.0.0.1 for the router's cluster mode and its tests, and prints
#   REDIS_PORT=<port> REDIS_PID=<pid> REDIS_DIR=<dir>
# on its last line (stdout). Installs Debian's redis-server first when it is missing.
#
# Usage: scripts/redis-start.sh [port]        (default: a free port)
# Environment:
#   REDIS_DIR   data directory to use (default: a new temp dir). Start again with the same port and
#               directory to restart Redis with its data.
#
# Persistence: append-only file, fsync on every write, no RDB snapshots; every file lives in
# REDIS_DIR, so nothing is left outside it. Redis runs in the background; stop it by its pid
# (kill <pid>) and remove REDIS_DIR when done.
set -euo pipefail

log() { printf '[redis-start] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
    log "redis-server not found; installing Debian's redis-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq redis-server >&2
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    return 1
}

dir="${REDIS_DIR:-$(mktemp -d -t router-redis.XXXXXX)}"
mkdir -p "$dir"

# start_redis <port>: 0 once this Redis (its own pid, not another server's) answers, 2 when the port
# was taken before it could bind, 1 on any other failure. A free port is only free until someone
# binds it, so a port this script picked is picked again when it was taken in between.
start_redis() {
    local port="$1" mark
    mark=0
    [[ -f "$dir/redis.log" ]] && mark="$(wc -l <"$dir/redis.log")"
    # setsid: Redis outlives this script and is not hit by signals sent to the caller's process group.
    setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
        --appendonly yes --appendfsync always --save "" \
        --protected-mode yes --daemonize no --logfile "$dir/redis.log" \
        </dev/null >/dev/null 2>&1 &
    pid=$!

    for _ in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            if tail -n "+$((mark + 1))" "$dir/redis.log" 2>/dev/null | grep -q "Address already in use"; then return 2; fi
            log "redis-server exited; last lines of $dir/redis.log:"
            tail -n 20 "$dir/redis.log" >&2 || true
            return 1
        fi
        if [[ "$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')" == "$pid" ]]; then
            return 0
        fi
        sleep 0.1
    done

    log "redis did not answer on 127.0.0.1:$port within 10 s"
    kill "$pid" 2>/dev/null || true
    return 1
}

port="${1:-$(free_port)}"
for attempt in 1 2 3 4 5; do
    status=0
    start_redis "$port" || status=$?
    if ((status == 0)); then
        log "redis ready on 127.0.0.1:$port (pid $pid, dir $dir)"
        echo "REDIS_PORT=$port REDIS_PID=$pid REDIS_DIR=$dir"
        exit 0
    fi
    if ((status != 2)) || [[ -n "${1:-}" ]]; then
        ((status == 2)) && log "port $port is taken"
        exit 1
    fi
    log "port $port was taken before redis bound it (attempt $attempt); trying another"
    port="$(free_port)"
done

log "no free port held long enough to bind in 5 attempts"
exit 1
