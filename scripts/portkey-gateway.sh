# Portkey's open-source AI gateway (@portkey-ai/gateway, Node) as one more target of the load scripts.
# Sourced after scripts/loadtest-lib.sh, which provides start/stop, free ports and readiness polling.
#
#   start_portkey     installs the gateway once into a cache directory outside the repository, starts it
#                     on a free 127.0.0.1 port, waits until it answers, and records its pid in STARTED_PIDS
#                     (so the calling script stops exactly that process); sets PORTKEY_URL, PORTKEY_PID
#                     and PORTKEY_ARGS, the load tool's options that drive it.
#
# The gateway relays OpenAI's /v1/chat/completions to the simulator's OpenAI endpoint, told where by
# headers on each request: x-portkey-provider: openai and x-portkey-custom-host: <simulator>/v1
# (127.0.0.1 is on the gateway's default list of trusted custom hosts).
#
# Environment (all optional):
#   PORTKEY_VERSION   gateway version (1.15.2)
#   PORTKEY_DIR       install directory (${XDG_CACHE_HOME:-$HOME/.cache}/router-bench/portkey-<version>)
#   PORTKEY_NODE      node binary (node on PATH; 18 or later)

PORTKEY_VERSION="${PORTKEY_VERSION:-1.15.2}"
PORTKEY_DIR="${PORTKEY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/router-bench/portkey-$PORTKEY_VERSION}"
PORTKEY_NODE="${PORTKEY_NODE:-node}"
PORTKEY_ENTRY="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"

# portkey_install: npm install into PORTKEY_DIR unless the gateway is there already. @hono/node-server is
# held at 1.13.5, the version the gateway's own repository patches and builds with: with the newer ones npm would
# resolve, every answer fails with "TypeError: immutable" (Portkey-AI/gateway issue 1389). Install scripts
# are skipped: the gateway's only one applies patches that are not in the published package.
portkey_install() {
    if [[ -f "$PORTKEY_ENTRY" ]]; then
        log "portkey $PORTKEY_VERSION found in $PORTKEY_DIR"
        return 0
    fi
    command -v npm >/dev/null 2>&1 || { log "npm not found: Portkey's gateway needs Node.js and npm"; return 1; }
    log "installing @portkey-ai/gateway@$PORTKEY_VERSION into $PORTKEY_DIR"
    mkdir -p "$PORTKEY_DIR"
    cat >"$PORTKEY_DIR/package.json" <<JSON
{
  "private": true,
  "dependencies": { "@portkey-ai/gateway": "$PORTKEY_VERSION" },
  "overrides": { "@hono/node-server": "1.13.5" }
}
JSON
    (cd "$PORTKEY_DIR" && npm install --no-audit --no-fund --ignore-scripts) >"$LOG_DIR/portkey-install.log" 2>&1 || {
        log "npm install failed; last lines of $LOG_DIR/portkey-install.log:"
        tail -n 20 "$LOG_DIR/portkey-install.log" >&2
        return 1
    }
}

# start_portkey: the gateway in production mode without its log UI (--headless), on a free port.
start_portkey() {
    portkey_install
    local port
    port="$(free_port)"
    PORTKEY_URL="http://127.0.0.1:$port"
    (cd "$PORTKEY_DIR" && exec env NODE_ENV=production "$PORTKEY_NODE" --import "$ROOT/scripts/portkey-loopback.mjs" \
        "$PORTKEY_ENTRY" "--port=$port" --headless) >"$LOG_DIR/portkey.log" 2>&1 &
    PORTKEY_PID=$!
    STARTED_PIDS+=("$PORTKEY_PID")
    log "portkey started (pid $PORTKEY_PID, log $LOG_DIR/portkey.log)"
    wait_ready portkey "$PORTKEY_PID" "$PORTKEY_URL/"
    PORTKEY_ARGS=(--openai-url "$PORTKEY_URL" --openai-pid "$PORTKEY_PID" --openai-name portkey
        --openai-header "x-portkey-provider: openai"
        --openai-header "x-portkey-custom-host: $OLLAMA_URL/v1"
        --openai-header "Authorization: Bearer simulator")
}
