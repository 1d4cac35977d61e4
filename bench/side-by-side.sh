#!/usr/bin/env bash
# redis-server, Garnet and one OrleansLua silo side by side in one run: the same redis-benchmark
# workloads against each, interleaved, with the servers' CPU time per request.
#
#   bench/side-by-side.sh [-n requests] [-R rounds] [-c clients] [--everysec] [out.md]
#   env: REQUESTS (default 200000 per cell), ROUNDS (2), CLIENTS (50), EVERYSEC=1 (= --everysec)
#
# Servers, all on 127.0.0.1 at free ports, none of them persisting anything:
#   redis-server         --save "" --appendonly no
#   Garnet               the NuGet dotnet tool garnet-server 2.2.8, installed into bench/.tools when
#                        missing (gitignored). Flags: --lua --lua-transaction-mode (scripts lock their
#                        keys and run as a transaction, Redis's atomicity) -q --logger-level Warning.
#                        Left at their defaults, which keep it a plain in-memory server like the others:
#                        no AOF (--aof off), no checkpoints (--checkpoint-freq 0), no storage tier,
#                        no latency/commandstats/metrics monitors, Lua memory mode Native (no per-script
#                        limit) and no script timeout, default thread pool, server GC.
#   OrleansLua           one silo, Release, co-hosted gateway, --storage memory
#   OrleansLua everysec  (--everysec only) the README's durable start: --storage local
#                        --appendfsync everysec --data-dir <temp dir>
#
# Workloads (50 clients, -r 100000, pipeline 1 and 16): SET (key:N), GET (key:N), INCR (counter:N, so
# INCR never meets SET's values), EVALSHA of `return redis.call('INCR', KEYS[1])` on ev:N, and
# EVALSHA of the 10-call rate limiter bench/ratelimit.lua on {rl:N}. Every server first runs the whole
# matrix once unmeasured (OrleansLua activates its 16,384 slot grains and JITs its hot paths). Then the
# matrix runs ROUNDS times; each cell runs the servers one after another (the order rotates each
# round) and reports the best req/s of its rounds, that run's ratio to redis-server, and the server
# process's CPU time (utime+stime from /proc/PID/stat) during that run divided by the requests.
# The generator shares the machine with the servers: compare on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh   # free_port, wait_ping, server_pid, cpu_ticks

N=${REQUESTS:-200000}
R=${ROUNDS:-2}
C=${CLIENTS:-50}
EVERYSEC=${EVERYSEC:-0}
OUT=""
while (($#)); do
  case $1 in
    -n) N=$2; shift 2 ;;
    -R) R=$2; shift 2 ;;
    -c) C=$2; shift 2 ;;
    --everysec) EVERYSEC=1; shift ;;
    -h | --help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OUT=$1; shift ;;
  esac
done
KEYSPACE=100000
PIPELINES=(1 16)
GARNET_VERSION=2.2.8
TOOLS=bench/.tools
HZ=$(getconf CLK_TCK)

for t in redis-server redis-cli redis-benchmark dotnet ss awk sha1sum; do
  command -v $t >/dev/null || { echo "needs $t" >&2; exit 1; }
done

# Garnet: the dotnet tool, pinned.
if ! dotnet tool list --tool-path "$TOOLS" 2>/dev/null | grep -Eq "^garnet-server +$GARNET_VERSION "; then
  echo "installing garnet-server $GARNET_VERSION into $TOOLS" >&2
  dotnet tool uninstall --tool-path "$TOOLS" garnet-server >/dev/null 2>&1 || true
  dotnet tool install --tool-path "$TOOLS" garnet-server --version "$GARNET_VERSION" >/dev/null
fi
echo "building the silo (Release)" >&2
dotnet build silo -c Release -nologo -v q >/dev/null
SILO=silo/bin/Release/net10.0/OrleansLua.Silo.dll

WORK=$(mktemp -d /tmp/side-by-side.XXXXXX)
NAMES=()    # per server: display name
PORTS=()    #             RESP port
PIDS=()     #             pid of the listening server process (CPU is read from it)
CMDS=()     #             command line, for the report
STARTED=()  # every pid started here, for cleanup
cleanup() {
  local p i
  for p in ${PIDS[@]+"${PIDS[@]}"} ${STARTED[@]+"${STARTED[@]}"}; do kill "$p" 2>/dev/null || true; done
  for ((i = 0; i < 40; i++)); do   # Garnet and the silo take a moment to shut down
    for p in ${PIDS[@]+"${PIDS[@]}"} ${STARTED[@]+"${STARTED[@]}"}; do kill -0 "$p" 2>/dev/null && break; p=""; done
    [[ -z ${p:-} ]] && break
    sleep 0.25
  done
  for p in ${PIDS[@]+"${PIDS[@]}"} ${STARTED[@]+"${STARTED[@]}"}; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # NAME PORT COMMAND...: starts a server, waits for PING, records the listening process
  local name=$1 port=$2 log launched pid
  shift 2
  log=$WORK/$(tr ' ' _ <<<"$name").log
  "$@" >"$log" 2>&1 &
  launched=$!
  STARTED+=("$launched")
  wait_ping "$name" "$port" "$launched" "$log"
  pid=$(server_pid "$port" "$launched")
  NAMES+=("$name"); PORTS+=("$port"); PIDS+=("$pid"); CMDS+=("$(printf '%q ' "$@")")
  echo "$name: port $port, pid $pid$([[ $pid == "$launched" ]] || echo " (a child of the started pid $launched)")" >&2
}
start_silo() { # NAME storage-args...
  local name=$1 port sport gport
  shift
  free_port port; free_port sport; free_port gport
  start "$name" "$port" dotnet "$SILO" --port "$port" --silo-port "$sport" --gateway-port "$gport" "$@" \
    --Logging:LogLevel:Default=Warning
}

free_port port; start redis-server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no
free_port port; start Garnet "$port" "$TOOLS/garnet-server" --port "$port" --bind 127.0.0.1 --lua --lua-transaction-mode -q --logger-level Warning
start_silo OrleansLua --storage memory
if [[ $EVERYSEC == 1 ]]; then
  mkdir "$WORK/data"
  start_silo "OrleansLua everysec" --storage local --appendfsync everysec --data-dir "$WORK/data"
fi
S=${#NAMES[@]}

# Scripts: the same body has the same SHA1 everywhere; check that every server agrees and runs them.
INCR_SCRIPT="return redis.call('INCR', KEYS[1])"
RATE_SCRIPT=$(<bench/ratelimit.lua)
INCR_SHA=$(printf %s "$INCR_SCRIPT" | sha1sum | cut -c1-40)
RATE_SHA=$(printf %s "$RATE_SCRIPT" | sha1sum | cut -c1-40)
for ((s = 0; s < S; s++)); do
  cli=(redis-cli -h 127.0.0.1 -p "${PORTS[s]}")
  [[ $("${cli[@]}" SCRIPT LOAD "$INCR_SCRIPT") == "$INCR_SHA" && $("${cli[@]}" SCRIPT LOAD "$RATE_SCRIPT") == "$RATE_SHA" ]] ||
    { echo "${NAMES[s]}: SCRIPT LOAD did not return the scripts' SHA1" >&2; exit 1; }
  out=$("${cli[@]}" EVALSHA "$INCR_SHA" 1 ev:check; "${cli[@]}" EVALSHA "$RATE_SHA" 1 "{rl:check}" now 100)
  [[ $out != *ERR* && $out != *NOSCRIPT* && $(head -n 1 <<<"$out") == 1 ]] ||
    { echo "${NAMES[s]}: the scripts do not run:" >&2; echo "$out" >&2; exit 1; }
  "${cli[@]}" DEL ev:check "{rl:check}" "{rl:check}:last" "{rl:check}:allowed" >/dev/null
done

# name | redis-benchmark arguments (redis-benchmark's own tests use key:N for SET/GET, counter:N for INCR)
WORKLOADS=(
  "SET|-t set"
  "GET|-t get"
  "INCR|-t incr"
  "EVALSHA incr (1 call)|EVALSHA $INCR_SHA 1 ev:__rand_int__"
  "EVALSHA rate limiter (10 calls)|EVALSHA $RATE_SHA 1 {rl:__rand_int__} now 100"
)
W=${#WORKLOADS[@]}

RPS=""; CPU=""
bench() { # SERVER PIPELINE WORKLOAD: one redis-benchmark run; sets RPS and CPU (server µs per request)
  local s=$1 args out before after
  read -r -a args <<<"${WORKLOADS[$3]#*|}"
  before=$(cpu_ticks "${PIDS[s]}")
  out=$(redis-benchmark -h 127.0.0.1 -p "${PORTS[s]}" -c "$C" -n "$N" -r "$KEYSPACE" -P "$2" --csv "${args[@]}" 2>&1) ||
    { echo "redis-benchmark failed against ${NAMES[s]} (${WORKLOADS[$3]%%|*}, -P $2):" >&2; tail -n 5 <<<"$out" >&2; exit 1; }
  after=$(cpu_ticks "${PIDS[s]}")
  RPS=$(tail -n 1 <<<"$out" | tr -d '"' | cut -d, -f2)
  [[ $RPS =~ ^[0-9.]+$ ]] || { echo "no result from redis-benchmark against ${NAMES[s]}: $out" >&2; exit 1; }
  CPU=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$N" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
}

# Warm-up: the whole matrix once, unmeasured; every server's process must have used CPU in it
# (otherwise the pid read from the port is not the one doing the work).
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warm-up: $((${#PIPELINES[@]} * W * S)) runs of $N requests" >&2
declare -a WARM0
for ((s = 0; s < S; s++)); do WARM0[s]=$(cpu_ticks "${PIDS[s]}"); done
for p in "${PIPELINES[@]}"; do
  for ((w = 0; w < W; w++)); do
    for ((s = 0; s < S; s++)); do bench "$s" "$p" "$w"; done
  done
done
for ((s = 0; s < S; s++)); do
  used=$(($(cpu_ticks "${PIDS[s]}") - WARM0[s]))
  ((used > 0)) || { echo "${NAMES[s]}: pid ${PIDS[s]} used no CPU during the warm-up: not the server process?" >&2; exit 1; }
  echo "warm-up: ${NAMES[s]} used $(awk -v t="$used" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz }') s CPU" >&2
done

# Measured: ROUNDS times the matrix; per cell keep the best req/s and the CPU of that run.
declare -A BEST BEST_CPU
for ((r = 0; r < R; r++)); do
  for p in "${PIPELINES[@]}"; do
    for ((w = 0; w < W; w++)); do
      for ((i = 0; i < S; i++)); do
        s=$(((i + r) % S))
        bench "$s" "$p" "$w"
        key="$p|$w|$s"
        printf 'round %d/%d  -P %-2s %-32s %-20s %12s req/s %8s µs CPU/req\n' $((r + 1)) "$R" "$p" "${WORKLOADS[w]%%|*}" "${NAMES[s]}" "$RPS" "$CPU" >&2
        if [[ -z ${BEST[$key]:-} ]] || awk -v a="$RPS" -v b="${BEST[$key]}" 'BEGIN { exit !(a > b) }'; then
          BEST[$key]=$RPS; BEST_CPU[$key]=$CPU
        fi
      done
    done
  done
done

# The report (Markdown).
thousands() { printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
table() { # rps|cpu
  local header="| -P | workload |" rule="|---:|---|" p w s k base v cell row
  for ((s = 0; s < S; s++)); do header+=" ${NAMES[s]} |"; rule+="---:|"; done
  echo "$header"; echo "$rule"
  for p in "${PIPELINES[@]}"; do
    for ((w = 0; w < W; w++)); do
      row="| $p | ${WORKLOADS[w]%%|*} |"
      for ((s = 0; s < S; s++)); do
        k="$p|$w|$s"
        if [[ $1 == rps ]]; then base=${BEST["$p|$w|0"]}; v=${BEST[$k]}; cell=$(thousands "$v")
        else base=${BEST_CPU["$p|$w|0"]}; v=${BEST_CPU[$k]}; cell=$v; fi
        ((s > 0)) && cell+=" ($(ratio "$v" "$base"))"
        row+=" $cell |"
      done
      echo "$row"
    done
  done
}
report() {
  echo "## Side by side: $(IFS=,; echo "${NAMES[*]}" | sed 's/,/, /g')"
  echo
  echo "$(date '+%Y-%m-%d %H:%M'), $(nproc) cores (load average before the warm-up: $LOAD), $N requests per cell," \
    "$C clients, \`-r $KEYSPACE\`, best of $R rounds after one unmeasured warm-up round; redis-benchmark" \
    "shares the machine. OrleansLua $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- client grains grain-interfaces protocol silo || echo ' (modified)')," \
    "redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'), Garnet $GARNET_VERSION."
  echo
  echo "### Requests per second (ratio to redis-server)"
  echo
  table rps
  echo
  echo "### Server CPU µs per request (ratio to redis-server)"
  echo
  echo "utime + stime of the server process during the best run, divided by its requests."
  echo
  table cpu
  echo
  echo "Servers:"
  echo
  for ((s = 0; s < S; s++)); do echo "- ${NAMES[s]}: \`${CMDS[s]% }\`"; done
}
if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi
