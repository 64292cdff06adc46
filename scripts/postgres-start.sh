#!/usr/bin/env bash
# Starts a private, throwaway PostgreSQL on 127.0.0.1 for the router's AdoNet providers and their
# tests, and prints
#   POSTGRES_PORT=<port> POSTGRES_PID=<pid> POSTGRES_DIR=<dir> POSTGRES_CONNECTION="Host=...;Database=router"
# on its last line (stdout). Installs Debian's postgresql first when it is missing (needs root).
#
# Usage: scripts/postgres-start.sh [port]     (default: a free port)
# Environment:
#   POSTGRES_DIR       directory to use (default: a new temp dir). Start again with the same port and
#                      directory to restart the server with its data (no new initdb).
#   POSTGRES_DB        database to create (default: router)
#   POSTGRES_USER      its owner, a login role (default: router)
#   POSTGRES_PASSWORD  that role's password (default: random, kept in POSTGRES_DIR/password)
#
# Every file lives in POSTGRES_DIR: the cluster (data/), the log (postgres.log) and the Unix socket.
# The server listens on 127.0.0.1 only and runs in the background in its own session. Stop it by
# its pid: kill -INT <pid> (fast: ends open sessions) or kill <pid> (waits for clients to leave);
# then remove POSTGRES_DIR. As root, the server runs as the 'postgres' system user.
set -euo pipefail

log() { printf '[postgres-start] %s\n' "$*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin="$(find_bin || true)"
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        log "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and installing needs root"
        exit 1
    fi
    log "PostgreSQL not found; installing Debian's postgresql (no default cluster is created)"
    # Only our own throwaway clusters are wanted: no 'main' cluster, no service started by the package.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/router-no-main-cluster.conf
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
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

port="${1:-$(free_port)}"
dir="${POSTGRES_DIR:-$(mktemp -d -t router-postgres.XXXXXX)}"
db="${POSTGRES_DB:-router}"
user="${POSTGRES_USER:-router}"
mkdir -p "$dir"
chmod 700 "$dir"

# initdb and postgres refuse to run as root: as root, run them as the package's 'postgres' user.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
    chown postgres:postgres "$dir"
    as_owner=(runuser -u postgres --)
fi

data="$dir/data"
fresh=0
if [[ ! -f "$data/PG_VERSION" ]]; then
    fresh=1
    if [[ -n "${POSTGRES_PASSWORD:-}" ]]; then
        password="$POSTGRES_PASSWORD"
    else
        password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    fi
    (umask 077; printf '%s' "$password" >"$dir/password")
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$dir/password"
    # Local (socket) connections are trusted: only the owner of POSTGRES_DIR can reach the socket.
    # TCP connections need the password.
    "${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
        log "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
else
    password="$(cat "$dir/password")"
fi

# pg_ctl starts the server detached (its own session) and waits until it accepts connections. A free
# port is only free until someone binds it: a port this script picked is picked again when another
# process took it in between (the server then fails to bind and exits).
for attempt in 1 2 3 4 5; do
    mark=0
    [[ -f "$dir/postgres.log" ]] && mark="$(wc -l <"$dir/postgres.log")"
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c unix_socket_permissions=0700" start >/dev/null; then
        break
    fi
    if [[ -z "${1:-}" && "$attempt" -lt 5 ]] && tail -n "+$((mark + 1))" "$dir/postgres.log" 2>/dev/null | grep -q "Address already in use"; then
        log "port $port was taken before postgres bound it (attempt $attempt); trying another"
        port="$(free_port)"
        continue
    fi
    log "postgres did not start on 127.0.0.1:$port; last lines of $dir/postgres.log:"
    tail -n 20 "$dir/postgres.log" >&2 || true
    exit 1
done
pid="$(head -n 1 "$data/postmaster.pid")"

stop_and_fail() {
    log "$1"
    kill -INT "$pid" 2>/dev/null || true
    exit 1
}

psql_admin() {
    "${as_owner[@]}" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "$@"
}

if [[ "$fresh" == 1 ]]; then
    # Names and password are plain identifiers and hex here, or quoted by psql (:"name", :'value').
    if ! psql_admin -v user="$user" -v password="$password" -v db="$db" >/dev/null 2>"$dir/setup.log" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
    then
        stop_and_fail "creating role and database failed: $(cat "$dir/setup.log")"
    fi
fi

connection="Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=$db"
log "postgres ready on 127.0.0.1:$port (pid $pid, dir $dir, database $db, user $user)"
echo "POSTGRES_PORT=$port POSTGRES_PID=$pid POSTGRES_DIR=$dir POSTGRES_CONNECTION=\"$connection\""
