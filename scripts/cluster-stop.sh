#!/usr/bin/env bash
# Stops what scripts/cluster-start.sh started, by the pids it recorded, and nothing else:
# web fronts first (they drain their open streams), then silos, the services and Redis last.
# SIGTERM first; SIGKILL for a process still running after CLUSTER_STOP_TIMEOUT seconds (60).
set -uo pipefail

DIR="${CLUSTER_DIR:-/tmp/router-cluster}"
TIMEOUT="${CLUSTER_STOP_TIMEOUT:-60}"
log() { printf '[cluster] %s\n' "$*" >&2; }

if [[ ! -s "$DIR/pids" ]]; then
    log "nothing recorded in $DIR/pids; nothing to stop"
    exit 0
fi

stop_group() {
    local pattern="$1" pid name pids=()
    while read -r pid name; do
        [[ "$name" =~ $pattern ]] || continue
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && log "stopping $name (pid $pid)"
        fi
    done <"$DIR/pids"
    local deadline=$((SECONDS + TIMEOUT))
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid still running after ${TIMEOUT}s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

stop_group '^webfront'
stop_group '^silo'
stop_group '^(classifier|simulator)$'
stop_group '^redis$'
: >"$DIR/pids"
log "stopped; logs kept in $DIR/logs"
