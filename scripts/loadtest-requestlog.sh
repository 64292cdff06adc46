#!/usr/bin/env bash
# What the request log costs, side by side: the same router build twice, its request log on (SQLite,
# a fresh file) and off (RequestLog__Enabled=false), against one Ollama simulator, driven by
# `Router.LoadTest burst`, which interleaves them per round and reports, in its section "CPU per
# round", the median of the per-round ratios (tool's "router" / tool's "relay", both measured over
# the same round), their interquartile range and a 95 % interval of the median.
#
# One pair of processes is not enough: with the log off in both, two processes of one build differed
# by 7-50 % in CPU per request, steadily through a pass, in either direction (an A/A check on a loaded
# machine). Such a difference belongs to the pair, not to the log, so the script starts a new pair for
# each pass (LOADTEST_PAIRS, default 4), alternating which router starts first and which takes the
# tool's "router" slot, and reports per pass the log-on / log-off median, then the median and the
# geometric mean over the passes. Stops exactly the processes it started.
#
# Both routers are warmed up until the JIT has settled before a pass counts anything: a router that has
# served a few thousand requests is still compiling (tiering up) hundreds of methods per thousand
# requests, and that work, landing in some rounds and not others, moved per-round CPU by tens of
# percent. Each router first gets chunks of LOADTEST_WARM_REQUESTS (default 2,000) requests at once
# (`Router.LoadTest router`, concurrency 100, prompts of their own, so the pass's prompts are still new
# to the classification cache) until a chunk compiles fewer than LOADTEST_JIT_SETTLED (default 100)
# methods (the router's `dotnet_jit_compiled_methods_total`), at most LOADTEST_WARM_CHUNKS (default 8)
# chunks; what the JIT compiled during the counted rounds is reported per pass. Both routers run with
# LOADTEST_RUNTIME_ENV (default DOTNET_TieredPGO=0: without the instrumented tiers the JIT settles after
# about 8,000 requests; with them it still compiled about one method per one or two requests after 12,000).
# The log's cost is a ratio of two routers with the same runtime settings; set LOADTEST_RUNTIME_ENV=
# (empty) to measure with the runtime's default tiering.
#
#   LOADTEST_SKIP_BUILD=1 scripts/loadtest-requestlog.sh      # 4 pairs x (warm-up, 4 warm-up + 15 rounds of 50)
#   LOADTEST_SKIP_BUILD=1 LOADTEST_PAIRS=2 scripts/loadtest-requestlog.sh --bursts 50:10 --warmup-rounds 2   # a short check
#
# Arguments replace the defaults of each pass and are passed to the tool; see tests/Router.LoadTest/README.md.
# LOADTEST_ROUTER_ENV="NAME=value ..." adds environment to the log-on router; LOADTEST_SECOND_ROUTER_ENV
# to the log-off one. RequestLog__Enabled=false in LOADTEST_ROUTER_ENV is an A/A check: the spread of
# its passes around 1.00 is what the measurement can resolve on that machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loadtest-lib.sh"

export SIM_RESPONSE_TOKENS="${SIM_RESPONSE_TOKENS:-10}"
PAIRS="${LOADTEST_PAIRS:-4}"
read -r -a extra_on <<<"${LOADTEST_ROUTER_ENV:-}"
read -r -a extra_off <<<"${LOADTEST_SECOND_ROUTER_ENV:-}"
read -r -a runtime_env <<<"${LOADTEST_RUNTIME_ENV-DOTNET_TieredPGO=0}"
WARM_REQUESTS="${LOADTEST_WARM_REQUESTS:-2000}"
WARM_CHUNKS="${LOADTEST_WARM_CHUNKS:-8}"
JIT_SETTLED="${LOADTEST_JIT_SETTLED:-100}"
ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 ]]; then
    ARGS=(--bursts 50:15 --warmup-rounds 4)
fi

build_all
SIM_PORT="$(free_port)"
OLLAMA_URL="http://127.0.0.1:$SIM_PORT"
start simulator "$SIMULATOR_DLL" --urls "$OLLAMA_URL" "--Simulator:TimeToFirstTokenMs=${SIM_TTFT_MS:-50}" \
    "--Simulator:TokensPerSecond=${SIM_TOKENS_PER_SECOND:-20}" "--Simulator:ResponseTokens=$SIM_RESPONSE_TOKENS"
wait_ready simulator "$LAST_PID" "$OLLAMA_URL/api/version"

# Warm-up prompts: conversational (no digits, which lean towards math) and none of the burst tool's own.
WARM_PROMPTS="$LOG_DIR/warm-prompts.txt"
python3 - "$WARM_PROMPTS" <<'PY'
import itertools, sys
moods = ["sleepy", "cheerful", "curious", "grumpy", "hopeful", "restless", "quiet", "busy", "calm", "puzzled",
         "thirsty", "proud", "shy", "bold", "lazy", "chatty", "tired", "eager", "gentle", "lucky"]
places = ["harbour", "attic", "garden", "library", "bakery", "station", "orchard", "kitchen", "meadow", "studio",
          "balcony", "market", "island", "cellar", "village", "forest", "museum", "bridge", "valley", "courtyard"]
asks = ["what should I cook tonight?", "how do I stop putting things off?", "any ideas for a rainy afternoon?",
        "how do I make small talk with neighbours?", "what is a good way to start the morning?",
        "how can I sleep better?", "what makes a good weekend?", "how do I say no politely?",
        "any tips for a long train ride?", "how do I keep a plant alive?", "what should I read next?",
        "how do I cheer up a friend?", "what is a nice gift for a colleague?", "how do I stay calm before a talk?",
        "what do you do when you feel stuck?", "how do I plan a quiet holiday?", "any advice for a first date?",
        "how do I get back into running?", "what is a fun game for a family evening?", "how do I learn to relax?"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for mood, place, ask in itertools.product(moods, places, asks):
        f.write(f"Greetings from a {mood} reader in the {place}, {ask}\n")
PY

# start_router <name> <env...>: a router on free ports; sets R_PID, R_URL and R_MGMT once it answers.
start_router() {
    local name="$1"
    shift
    R_URL="http://127.0.0.1:$(free_port)"
    R_MGMT="http://127.0.0.1:$(free_port)"
    (cd "$(dirname "$ROUTER_DLL")" && exec env "${runtime_env[@]}" "$@" dotnet "$ROUTER_DLL" --urls "$R_URL" "--Ollama:BaseUrl=$OLLAMA_URL" \
        "--Orleans:SiloPort=$(free_port)" "--Orleans:GatewayPort=$(free_port)" \
        "--WebFront:ManagementUrl=$R_MGMT") >"$LOG_DIR/$name.log" 2>&1 &
    R_PID=$!
    STARTED_PIDS+=("$R_PID")
    log "$name started (pid $R_PID, log $LOG_DIR/$name.log)"
    wait_ready "$name" "$R_PID" "$R_URL/health"
}

# jit_methods <management url>: methods the router's JIT has compiled so far.
jit_methods() {
    curl -fsS --max-time 5 "$1/metrics" | awk '/^dotnet_jit_compiled_methods_total/ { n = $2 } END { print n }'
}

# warm_up <url> <mgmt> <url> <mgmt>: both routers at once, chunk after chunk, until a chunk compiles
# fewer than JIT_SETTLED methods on each (or WARM_CHUNKS chunks have run: then said so).
warm_up() {
    local chunk a b da db load
    for chunk in $(seq 1 "$WARM_CHUNKS"); do
        a="$(jit_methods "$2")"; b="$(jit_methods "$4")"
        dotnet "$LOADTEST_DLL" router --url "$1" --concurrency 100 --requests "$WARM_REQUESTS" --quiet --prompts "$WARM_PROMPTS" >/dev/null &
        load=$!
        dotnet "$LOADTEST_DLL" router --url "$3" --concurrency 100 --requests "$WARM_REQUESTS" --quiet --prompts "$WARM_PROMPTS" >/dev/null
        wait "$load"
        da=$(($(jit_methods "$2") - a)); db=$(($(jit_methods "$4") - b))
        log "warm-up chunk $chunk ($WARM_REQUESTS requests each): the JIT compiled $da and $db methods"
        if ((da < JIT_SETTLED && db < JIT_SETTLED)); then return 0; fi
    done
    log "warm-up: the JIT had not settled after $WARM_CHUNKS chunks; the pass counts anyway"
}

stop_router() {
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

for pair in $(seq 1 "$PAIRS"); do
    on_env=("RequestLog__Path=$LOG_DIR/requests-$pair.db" "${extra_on[@]}")
    off_env=(RequestLog__Enabled=false "${extra_off[@]}")
    if ((pair % 2 == 1)); then
        start_router "log-on-$pair" "${on_env[@]}"; ON_PID=$R_PID ON_URL=$R_URL ON_MGMT=$R_MGMT
        start_router "log-off-$pair" "${off_env[@]}"; OFF_PID=$R_PID OFF_URL=$R_URL OFF_MGMT=$R_MGMT
    else
        start_router "log-off-$pair" "${off_env[@]}"; OFF_PID=$R_PID OFF_URL=$R_URL OFF_MGMT=$R_MGMT
        start_router "log-on-$pair" "${on_env[@]}"; ON_PID=$R_PID ON_URL=$R_URL ON_MGMT=$R_MGMT
    fi

    # Odd passes put the log-on router in the tool's "router" slot, even ones in its "relay" slot.
    slot=router
    set -- "$ON_URL" "$ON_PID" "$OFF_URL" "$OFF_PID"
    if (((pair / 2) % 2 == 1)); then slot=relay; set -- "$OFF_URL" "$OFF_PID" "$ON_URL" "$ON_PID"; fi
    warm_up "$ON_URL" "$ON_MGMT" "$OFF_URL" "$OFF_MGMT"
    jit_on="$(jit_methods "$ON_MGMT")"; jit_off="$(jit_methods "$OFF_MGMT")"
    log "pass $pair: burst ${ARGS[*]}, log on in the $slot slot (pid $ON_PID, log off pid $OFF_PID); machine load: $(uptime)"
    dotnet "$LOADTEST_DLL" burst --url "$1" --ollama-url "$OLLAMA_URL" --relay-url "$3" \
        --router-pid "$2" --relay-pid "$4" --clock-ticks "$(getconf CLK_TCK)" "${ARGS[@]}" | tee "$LOG_DIR/pass-$pair.txt"
    echo "$slot" >"$LOG_DIR/pass-$pair.slot"
    echo "$(($(jit_methods "$ON_MGMT") - jit_on)) $(($(jit_methods "$OFF_MGMT") - jit_off))" >"$LOG_DIR/pass-$pair.jit"
    log "methods the JIT compiled during pass $pair's bursts: log on $(cut -d' ' -f1 "$LOG_DIR/pass-$pair.jit"), log off $(cut -d' ' -f2 "$LOG_DIR/pass-$pair.jit")"
    log "rows in pass $pair's log: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from request_log').fetchone()[0])" "$LOG_DIR/requests-$pair.db" 2>/dev/null || echo '?')"
    stop_router "$ON_PID"
    stop_router "$OFF_PID"
done

# Each pass's "CPU per round" lines (burst, rounds, median, IQR, interval, totals, ...), turned to log on / log off.
echo
echo "== request log on / off: per pass (a new pair of routers each), then over the passes"
for pair in $(seq 1 "$PAIRS"); do
    awk -v pair="$pair" -v slot="$(cat "$LOG_DIR/pass-$pair.slot")" -v jit="$(cat "$LOG_DIR/pass-$pair.jit" 2>/dev/null || echo '? ?')" '
        /^== CPU per round/ { section = 1; next }
        section && /^ *[0-9]+ +[0-9]+ +[0-9.]+x/ {
            m = $3 + 0; t = $6 + 0
            if (slot == "relay" && m > 0 && t > 0) { m = 1 / m; t = 1 / t }
            printf "%s %s %s %.4f %.4f %s\n", $1, pair, slot, m, t, jit
        }
        section && /^ratios/ { section = 0 }' "$LOG_DIR/pass-$pair.txt"
done | sort -n -k1,1 -k2,2 | awk '
    { size[NR] = $1; line[NR] = $0; n[$1]++; med[$1, n[$1]] = $4; tot[$1, n[$1]] = $5; logsum[$1] += log($4) }
    END {
        printf "%6s %5s %6s %14s %14s %18s\n", "burst", "pass", "slot", "median on/off", "totals on/off", "JIT methods on/off"
        for (i = 1; i <= NR; i++) { split(line[i], f, " "); printf "%6s %5s %6s %13.3fx %13.3fx %18s\n", f[1], f[2], f[3], f[4], f[5], f[6] " / " f[7] }
        for (s in n) {
            k = n[s]
            for (i = 1; i <= k; i++) v[i] = med[s, i]
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
            mid = (k % 2 == 1) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
            printf "burst of %s: %d passes, median of the passes %.3fx, geometric mean %.3fx, range %.3f-%.3fx\n", s, k, mid, exp(logsum[s] / k), v[1], v[k]
        }
    }'
log "machine load after the run: $(uptime)"
