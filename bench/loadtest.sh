#!/usr/bin/env bash
# One command, every scenario side by side in the same run, the same generator (bench/loadgen) and the
# same workloads, then the report (bench/report):
#
#   redis          redis-server 7 (--save '' --appendonly no)
#   ol-1-memory    one OrleansLua silo, --storage memory
#   ol-1-durable   one silo, --storage local --appendfsync everysec (fresh data dir)
#   ol-3-memory    three silo processes on 127.0.0.1, PostgreSQL membership, --storage memory
#   ol-3-memory-cluster  the same silos with --cluster-redirects yes, and the generator in cluster mode
#                  (--cluster: every request to its slot's node, -MOVED followed; bench/loadgen/README.md)
#   ol-3-durable   the same with --storage postgres --appendfsync everysec
#   ol-scaleout    scale-out: two silos as ol-3-memory-cluster under a getset load of the cluster-mode
#                  generator (closed loop, 50 connections, --scaleout-duration s measured), a third silo
#                  started --join-at s after the generator; replies per node per second (generator), and
#                  per silo every second its INFO orleans_silo_active_slots, its node's slots in CLUSTER NODES
#                  and its CPU (INFO commandstats would not do: OrleansLua's INFO sums every node); the report
#                  says when the third silo answered 25 % of the requests and held 25 % of the active slots
#
# The PostgreSQL is a private server this script starts (fsync on; a fresh database per scenario);
# with three silos and no cluster mode the generator's connections are spread round-robin over the
# three gateways (a request whose slot another silo owns is forwarded there).
# Each scenario is warmed first by untimed `spread` runs (SET+GET of one key per slot), repeated with
# doubling durations until one run covered all 16384 slots (every slot grain active), then runs:
#   - all seven workloads, 50 connections, pipeline 1, closed loop;
#   - getset at 1, 4, 16 and 64 connections (throughput vs connections; 50 is the run above);
#   - getset open loop at --rate requests/s (latency without coordinated omission);
#   - redis, ol-1-memory and ol-3-memory-cluster only: redis-benchmark -t get,set,incr -c 50 -n 100000
#     -r 100000 --csv (cross-check of the generator; with --cluster for ol-3-memory-cluster).
# ol-scaleout runs none of the above: only its warm-up and the one scale-out run.
# For every server process (silos, redis-server, the PostgreSQL) and the generator, the CPU time
# (utime+stime from /proc/PID/stat) over each measured window is recorded, for CPU per operation, and
# so is the busy time of the whole machine (/proc/stat), to show load from outside the benchmark.
#
#   bench/loadtest.sh [--quick] [--duration S] [--warmup S] [--rate R] [--scenarios a,b,...] [--out DIR] [--no-build]
#                     [--scaleout-duration S] [--join-at S]
#
#   --quick       smoke run: 2 s measured + 1 s warm-up per run, short slot warm-up, 20000 requests per
#                 redis-benchmark test, a 25 s scale-out run joining at 8 s; results go to
#                 bench/results/<date>-quick unless --out is given
#   --duration S  measured seconds per run (default 8)
#   --warmup S    generator warm-up seconds per run, not measured (default 2)
#   --rate R      open-loop getset rate in requests/s (default 5000: one all scenarios sustain on 2 cores)
#   --scenarios   comma-separated subset of the scenarios above (default: all, in that order)
#   --out DIR     results directory (default bench/results/<yyyy-mm-dd>, UTC)
#   --no-build    use the Release builds as they are
#   --scaleout-duration S  ol-scaleout: measured seconds of its generator run (default 60; quick 25)
#   --join-at S   ol-scaleout: seconds after the generator starts (its 2 s warm-up included) when the
#                 third silo is started (default 20; quick 8)
#
# Writes DIR/raw/*.json (one per generator run; git-ignored), DIR/raw/cpu/*.json, DIR/raw/warmup/,
# DIR/raw/redis-benchmark/*.csv, DIR/raw/scaleout/ (the scale-out run's generator JSON, cpu.jsonl and
# slots.jsonl with the per-silo samples, events.json), DIR/raw/logs/, DIR/raw/run.json (command lines,
# versions, machine) and then DIR/report.md with PNG charts, DIR/summary.csv (one line per run) and
# DIR/scaleout.csv (the scale-out run, one line per second). Every process and temp
# dir it started is removed on exit, Ctrl-C included. A full run takes about 17 minutes on 2 cores
# (13.5 before ol-3-memory-cluster and ol-scaleout were added).
set -euo pipefail
CALLER_PWD=$PWD
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
DURATION=""
WARMUP=""
RATE=5000
OUT=""
BUILD=1
ALL_SCENARIOS=(redis ol-1-memory ol-1-durable ol-3-memory ol-3-memory-cluster ol-3-durable ol-scaleout)
SCALE_DURATION=""
JOIN_AT=""
SCENARIOS=("${ALL_SCENARIOS[@]}")
ARGV=("$0" "$@")
while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --out) OUT=$2; [[ $OUT == /* ]] || OUT=$CALLER_PWD/$OUT; shift 2 ;;
    --scenarios) IFS=, read -ra SCENARIOS <<<"$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --scaleout-duration) SCALE_DURATION=$2; shift 2 ;;
    --join-at) JOIN_AT=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for s in "${SCENARIOS[@]}"; do
  [[ " ${ALL_SCENARIOS[*]} " == *" $s "* ]] || { echo "unknown scenario $s (one of ${ALL_SCENARIOS[*]})" >&2; exit 2; }
done

if ((QUICK)); then
  DURATION=${DURATION:-2} WARMUP=${WARMUP:-1} SLOT_WARM=3 BENCH_N=20000 SCALE_DURATION=${SCALE_DURATION:-25} JOIN_AT=${JOIN_AT:-8}
else
  DURATION=${DURATION:-8} WARMUP=${WARMUP:-2} SLOT_WARM=8 BENCH_N=100000 SCALE_DURATION=${SCALE_DURATION:-60} JOIN_AT=${JOIN_AT:-20}
fi
SCALE_WARMUP=2
CONNECTIONS=50
SWEEP=(1 4 16 64)
WORKLOADS=(getset incr evalsha ratelimit transfer hotkey spread)
DATE=$(date -u +%F)
if [[ -z $OUT ]]; then
  OUT=bench/results/$DATE
  ((QUICK)) && OUT+=-quick
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
OUT=${OUT#"$ROOT"/}   # relative to the repository (the script runs there) when inside it: shorter command lines
RAW=$OUT/raw
rm -rf "$RAW"
mkdir -p "$RAW/cpu" "$RAW/warmup" "$RAW/redis-benchmark" "$RAW/logs" "$RAW/scaleout"

SILO_DLL=silo/bin/Release/net10.0/OrleansLua.Silo.dll
LOADGEN_DLL=bench/loadgen/bin/Release/net10.0/OrleansLua.LoadGen.dll
REPORT_DLL=bench/report/bin/Release/net10.0/OrleansLua.BenchReport.dll
CLK_TCK=$(getconf CLK_TCK)
T0=$EPOCHREALTIME
log() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }

# ---------------------------------------------------------------- prerequisites
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
command -v jq >/dev/null || missing+=(jq)
command -v ss >/dev/null || missing+=(iproute2)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[[ -n $PG_BIN && -x $PG_BIN/initdb ]] || missing+=(postgresql)
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if ((BUILD)); then
  log "building silo, load generator and report (Release)"
  for p in silo/OrleansLua.Silo.csproj bench/loadgen/OrleansLua.LoadGen.csproj bench/report/OrleansLua.BenchReport.csproj; do
    dotnet build "$p" -c Release -nologo -v q >/dev/null
  done
fi
for f in "$SILO_DLL" "$LOADGEN_DLL" "$REPORT_DLL"; do
  [[ -f $f ]] || { echo "missing $f (build it, or drop --no-build)" >&2; exit 1; }
done

# ---------------------------------------------------------------- processes, temp dirs, cleanup
WORK=$(mktemp -d /tmp/ol-loadtest-XXXXXX)   # everything servers write lives here
SERVER_PIDS=()        # the current scenario's server processes (redis-server or silos)
SERVER_ROLES=()
SERVER_LOGS=()
BG_PIDS=()            # generator and CPU sampler while a run is on
STATUS=interrupted
source bench/lib/common.sh   # pg, free_port, start_postgres, psql_, stop_postgres
stop_pids() { # pids...: SIGTERM, SIGKILL after 5 s (the data is thrown away anyway)
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
stop_servers() {
  ((${#SERVER_PIDS[@]})) && stop_pids "${SERVER_PIDS[@]}"
  SERVER_PIDS=() SERVER_ROLES=() SERVER_LOGS=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  ((${#BG_PIDS[@]})) && stop_pids "${BG_PIDS[@]}"
  stop_servers
  stop_postgres
  [[ -f $RAW/commands.jsonl ]] && write_run_json "$STATUS" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

shquote() { # argv... -> one shell-quoted line (single quotes only where needed)
  local a line="" q="'\\''"
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then line+=" $a"; else line+=" '${a//\'/$q}'"; fi
  done
  printf '%s' "${line# }"
}
record() { # purpose scenario argv...: appends the exact command line to raw/commands.jsonl
  local purpose=$1 scenario=$2
  shift 2
  jq -cn --arg p "$purpose" --arg s "$scenario" --arg c "$(shquote "$@")" '{purpose: $p, scenario: $s, command: $c}' >>"$RAW/commands.jsonl"
}
wait_ping() { # port what log pid
  for _ in $(seq 1 480); do
    [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
    kill -0 "$4" 2>/dev/null || break
    sleep 0.25
  done
  echo "$2 did not start; last lines of $3:" >&2
  tail -n 30 "$3" >&2
  return 1
}

pg_master() { [[ -n $PG_DIR && -f $PG_DIR/data/postmaster.pid ]] && head -1 "$PG_DIR/data/postmaster.pid" || true; }

# ---------------------------------------------------------------- scenarios
PORTS=""   # the current scenario's RESP ports, comma-separated
start_redis() {
  local dir=$WORK/redis port
  mkdir -p "$dir"
  free_port port
  local cmd=(redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no
    --logfile "$dir/redis.log")
  record server redis "${cmd[@]}"
  "${cmd[@]}" &
  SERVER_PIDS=($!) SERVER_ROLES=(redis-server) SERVER_LOGS=("$dir/redis.log")
  wait_ping "$port" redis-server "$dir/redis.log" "${SERVER_PIDS[0]}"
  PORTS=$port
}

SILO_ARGS=()      # the current scenario's silo arguments (clustering, storage), for a silo started later
start_silo() { # scenario i: starts silo i with SILO_ARGS (SERVER_* grow by one); PORT = its RESP port
  local scenario=$1 i=$2 dir silo_port gateway_port
  dir=$WORK/$scenario/silo$i
  mkdir -p "$dir"
  free_port PORT
  free_port silo_port
  free_port gateway_port
  local cmd=(dotnet "$SILO_DLL" --port "$PORT" --silo-port "$silo_port" --gateway-port "$gateway_port"
    "${SILO_ARGS[@]}" --data-dir "$dir/data"
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:OrleansLua.Grains.Persistence=Information
    --Logging:LogLevel:OrleansLua.Grains.Cluster=Information --Logging:LogLevel:OrleansLua.Silo.Slots=Information
    --Logging:Console:FormatterOptions:SingleLine=true)
  record server "$scenario" "${cmd[@]}"
  "${cmd[@]}" >"$dir/silo.log" 2>&1 &
  SERVER_PIDS+=($!) SERVER_ROLES+=("silo$i") SERVER_LOGS+=("$dir/silo.log")
}

wait_known_nodes() { # port count: until the gateway's slot map lists count nodes (60 s at most)
  for _ in $(seq 1 240); do
    [[ $(redis-cli -p "$1" CLUSTER INFO 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_known_nodes://p') == "$2" ]] && return 0
    sleep 0.25
  done
  log "  warning: the gateway on port $1 does not see $2 silos after 60 s"
}

start_silos() { # scenario count storage-args...
  local scenario=$1 count=$2 i cs=""
  shift 2
  SILO_ARGS=("$@")
  if ((count > 1)); then
    [[ -n $PG_DIR ]] || { start_postgres 200 && log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"; }
    local db=${scenario//-/_}
    psql_ "CREATE DATABASE $db"
    cs="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db"
    SILO_ARGS=(--clustering postgres --postgres "$cs" "${SILO_ARGS[@]}")
  fi
  local ports=()
  for i in $(seq 1 "$count"); do
    start_silo "$scenario" "$i"
    ports+=("$PORT")
  done
  for i in $(seq 1 "$count"); do
    wait_ping "${ports[i-1]}" "silo $i of $scenario" "${SERVER_LOGS[i-1]}" "${SERVER_PIDS[i-1]}" || return 1
  done
  if ((count > 1)); then # every gateway sees every silo before the load starts
    for i in $(seq 1 "$count"); do wait_known_nodes "${ports[i-1]}" "$count"; done
  fi
  PORTS=$(IFS=,; echo "${ports[*]}")
}

start_scenario() { # scenario
  # The cluster scenarios' generator is a cluster client (PORTS are its seeds).
  LOADGEN_EXTRA=()
  [[ $1 == ol-3-memory-cluster || $1 == ol-scaleout ]] && LOADGEN_EXTRA=(--cluster)
  case "$1" in
    redis) start_redis ;;
    ol-1-memory) start_silos "$1" 1 --storage memory ;;
    ol-1-durable) start_silos "$1" 1 --storage local --appendfsync everysec ;;
    ol-3-memory) start_silos "$1" 3 --storage memory ;;
    ol-3-memory-cluster) start_silos "$1" 3 --storage memory --cluster-redirects yes ;;
    ol-3-durable) start_silos "$1" 3 --storage postgres --appendfsync everysec ;;
    ol-scaleout) start_silos "$1" 2 --storage memory --cluster-redirects yes ;;
  esac
}
LOADGEN_EXTRA=()

# ---------------------------------------------------------------- CPU time from /proc/PID/stat
TICKS=0
ticks_of() { # pid [with-children]: TICKS = utime+stime (+cutime+cstime), 0 if the process is gone
  TICKS=0
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 0
  s=${s##*) }
  local -a f
  read -ra f <<<"$s"
  TICKS=$((f[11] + f[12]))
  [[ ${2:-} ]] && TICKS=$((TICKS + f[13] + f[14]))
  return 0
}
pg_ticks() { # TICKS = the postmaster (with its reaped children) plus its live children
  local pm=$1 sum c kids=()
  ticks_of "$pm" children
  sum=$TICKS
  { read -ra kids <"/proc/$pm/task/$pm/children"; } 2>/dev/null || true
  for c in ${kids[@]+"${kids[@]}"}; do
    ticks_of "$c"
    sum=$((sum + TICKS))
  done
  TICKS=$sum
}
machine_ticks() { # TICKS = busy time of all CPUs (user nice system irq softirq steal of /proc/stat)
  local cpu u n sy idle io irq sirq steal rest
  read -r cpu u n sy idle io irq sirq steal rest </proc/stat
  TICKS=$((u + n + sy + irq + sirq + steal))
}
sample() { # pids... ("pg:N" = the PostgreSQL of postmaster N, "machine" = all CPUs): one line "time ticks..."
  local line=$EPOCHREALTIME p
  for p in "$@"; do
    if [[ $p == pg:* ]]; then pg_ticks "${p#pg:}"; elif [[ $p == machine ]]; then machine_ticks; else ticks_of "$p"; fi
    line+=" $TICKS"
  done
  echo "$line"
}
cpu_window() { # samples-file start end (epoch seconds): "window-seconds cpu-seconds..." per column, interpolated
  awk -v ts="$2" -v te="$3" -v hz="$CLK_TCK" '
    { n++; t[n] = $1; nf = NF
      for (i = 2; i <= NF; i++) { v = $i; if (v == 0 && n > 1) v = c[n - 1, i]; c[n, i] = v } }  # a gone process keeps its last value
    function at(x, i,   k) {  # column i at time x, linear between the samples around x
      if (x <= t[1]) return c[1, i]
      if (x >= t[n]) return c[n, i]
      for (k = 1; k < n && t[k + 1] < x; k++) ;
      return t[k + 1] > t[k] ? c[k, i] + (c[k + 1, i] - c[k, i]) * (x - t[k]) / (t[k + 1] - t[k]) : c[k, i]
    }
    END {
      if (ts < t[1]) ts = t[1]
      if (te > t[n]) te = t[n]
      out = sprintf("%.3f", te - ts)
      for (i = 2; i <= nf; i++) { d = (at(te, i) - at(ts, i)) / hz; if (d < 0) d = 0; out = out sprintf(" %.4f", d) }
      print out
    }' "$1"
}

# ---------------------------------------------------------------- generator runs
FAILED_RUNS=()
SCENARIO_OK=1
servers_alive() {
  local i
  for i in "${!SERVER_PIDS[@]}"; do
    if ! kill -0 "${SERVER_PIDS[i]}" 2>/dev/null; then
      echo "${SERVER_ROLES[i]} (pid ${SERVER_PIDS[i]}) exited; last lines of ${SERVER_LOGS[i]}:" >&2
      tail -n 30 "${SERVER_LOGS[i]}" >&2
      return 1
    fi
  done
}
loadgen() { # scenario name out-file loadgen-args...: one generator run with CPU sampling
  local scenario=$1 name=$2 out=$3 rc=0
  shift 3
  ((SCENARIO_OK)) || return 0
  local cmd=(dotnet "$LOADGEN_DLL" --ports "$PORTS" ${LOADGEN_EXTRA[@]+"${LOADGEN_EXTRA[@]}"} "$@" --label "$scenario" --out "$out")
  record loadgen "$scenario" "${cmd[@]}"
  local samples=$WORK/samples.txt pm cols=("${SERVER_PIDS[@]}") roles=("${SERVER_ROLES[@]}")
  pm=$(pg_master)
  if [[ -n $pm ]]; then cols+=("pg:$pm") roles+=(postgres); fi
  "${cmd[@]}" >"$RAW/logs/$name.out" 2>&1 &
  local lg=$!
  cols+=("$lg" machine) roles+=(loadgen machine)
  : >"$samples"
  (while kill -0 "$lg" 2>/dev/null; do sample "${cols[@]}"; sleep 0.2; done) >>"$samples" &
  local sampler=$!
  BG_PIDS=("$lg" "${samplers[@]}")
  wait "$lg" || rc=$?
  sample "${cols[@]}" >>"$WORK/last.txt"
  wait "$sampler" 2>/dev/null || true
  cat "$WORK/last.txt" >>"$samples"
  rm -f "$WORK/last.txt"
  BG_PIDS=()
  if [[ $rc != 0 && $rc != 3 ]] || [[ ! -s $out ]]; then
    log "  $name: generator failed (exit $rc): $(tail -n 3 "$RAW/logs/$name.out" | tr '\n' ' ')"
    FAILED_RUNS+=("$name (exit $rc)")
    rm -f "$out"
    servers_alive || SCENARIO_OK=0
    return 0
  fi
  ((rc == 3)) && { log "  $name: INVARIANT VIOLATED: $(jq -r '.invariant.detail // ""' "$out")"; FAILED_RUNS+=("$name (invariant)"); }
  # CPU over the measured window: startedUtc + warm-up to + durationSeconds (the generator's clock starts
  # right after it stamps startedUtc).
  local window cpu i json=() ws we
  local warmup=2 a prev=""
  for a in "$@"; do [[ $prev == --warmup ]] && warmup=$a; prev=$a; done
  ws=$(awk -v s="$(date -u -d "$(jq -r .startedUtc "$out")" +%s.%N)" -v w="$warmup" 'BEGIN { printf "%.6f", s + w }')
  we=$(awk -v s="$ws" -v d="$(jq -r .durationSeconds "$out")" 'BEGIN { printf "%.6f", s + d }')
  read -r window cpu <<<"$(cpu_window "$samples" "$ws" "$we")"
  local -a secs
  read -ra secs <<<"$cpu"
  local machine=0
  for i in "${!roles[@]}"; do
    if [[ ${roles[i]} == machine ]]; then machine=${secs[i]}; continue; fi
    json+=("$(jq -cn --arg r "${roles[i]}" --arg p "${cols[i]#pg:}" --argjson s "${secs[i]}" '{role: $r, pid: ($p | tonumber), cpuSeconds: $s}')")
  done
  # machineCpuSeconds: every CPU's busy time in the window, this run's processes and everything else on the machine.
  printf '%s\n' "${json[@]}" | jq -s --arg run "$name" --arg sc "$scenario" --argjson w "$window" --argjson hz "$CLK_TCK" \
    --argjson m "$machine" '{run: $run, scenario: $sc, windowSeconds: $w, clockTicksPerSecond: $hz, machineCpuSeconds: $m, processes: .}' \
    >"$RAW/cpu/$name.json"
  local server_cpu
  server_cpu=$(jq '[.processes[] | select(.role != "loadgen") | .cpuSeconds] | add' "$RAW/cpu/$name.json")
  local others
  others=$(jq '(.machineCpuSeconds - ([.processes[].cpuSeconds] | add)) / .windowSeconds | if . < 0 then 0 else . end | . * 100 | round / 100' "$RAW/cpu/$name.json")
  log "$(jq -r --argjson c "$server_cpu" --argjson w "$window" --argjson o "$others" '"  \(.label) \(.workload) c\(.connections) \(.mode)\(if .mode == "open" then " \(.targetRate)/s" else "" end): \(.throughput | floor) ops/s, p50 \(.latencyMicros.p50) µs, p99 \(.latencyMicros.p99) µs, servers \(if .operations > 0 then ($c * 1e6 / (.throughput * $w) | floor) else "-" end) µs CPU/op, errors \(.errors | add // 0)\(if .cluster then ", MOVED \(.cluster.redirects)" else "" end), other processes \($o) cores"' "$out")"
  servers_alive || SCENARIO_OK=0
}

warm_slots() { # scenario: spread (SET+GET of one key per slot, each connection walking its 1/50 of the
  # 16384 slots) until one run covered all of them with 10 % to spare. A cold slot costs an activation
  # (a claim in storage), so how long this takes depends on the scenario: the run is repeated, twice as
  # long each time, until it did (every run starts over at the same slots, which are warm by then).
  local sc=$1 d=$SLOT_WARM try ops need=$((2 * 16384 * 11 / 10)) out
  for try in 1 2 3 4 5; do
    out=$RAW/warmup/$sc.$try.json
    loadgen "$sc" "$sc.warmup$try" "$out" --workload spread --connections "$CONNECTIONS" --duration "$d" --warmup 0
    rm -f "$RAW/cpu/$sc.warmup$try.json"
    [[ -s $out ]] || return 0
    ops=$(jq .operations "$out")
    ((ops >= need)) && return 0
    d=$((d * 2))
  done
  log "  warning: $sc: the slot warm-up did not cover all slots ($ops of $need operations in the last run)"
}

run_scenario() { # scenario
  local sc=$1 w c
  SCENARIO_OK=1
  log "scenario $sc: starting"
  if ! start_scenario "$sc"; then
    FAILED_RUNS+=("$sc (did not start)")
    stop_servers
    return 0
  fi
  log "scenario $sc: up on port(s) $PORTS; warming: untimed spread runs until every slot was written and read"
  warm_slots "$sc"
  if [[ $sc == ol-scaleout ]]; then
    if ((SCENARIO_OK)); then scaleout_run; else FAILED_RUNS+=("$sc (a silo exited before the run)"); fi
    finish_scenario "$sc"
    return 0
  fi
  for w in "${WORKLOADS[@]}"; do
    loadgen "$sc" "$sc.$w.c$CONNECTIONS" "$RAW/$sc.$w.c$CONNECTIONS.json" \
      --workload "$w" --connections "$CONNECTIONS" --pipeline 1 --duration "$DURATION" --warmup "$WARMUP"
  done
  for c in "${SWEEP[@]}"; do
    loadgen "$sc" "$sc.getset.c$c" "$RAW/$sc.getset.c$c.json" \
      --workload getset --connections "$c" --pipeline 1 --duration "$DURATION" --warmup "$WARMUP"
  done
  loadgen "$sc" "$sc.getset.c$CONNECTIONS.rate$RATE" "$RAW/$sc.getset.c$CONNECTIONS.rate$RATE.json" \
    --workload getset --connections "$CONNECTIONS" --pipeline 1 --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP"
  if [[ $sc == redis || $sc == ol-1-memory || $sc == ol-3-memory-cluster ]] && ((SCENARIO_OK)); then
    local cmd=(redis-benchmark -p "${PORTS%%,*}" -t get,set,incr -c "$CONNECTIONS" -n "$BENCH_N" -r 100000 --csv)
    [[ $sc == ol-3-memory-cluster ]] && cmd+=(--cluster)
    record redis-benchmark "$sc" "${cmd[@]}"
    log "  $sc: ${cmd[*]}"
    "${cmd[@]}" >"$RAW/redis-benchmark/$sc.csv" 2>"$RAW/logs/$sc.redis-benchmark.err" ||
      FAILED_RUNS+=("$sc redis-benchmark")
    tr -d '"' <"$RAW/redis-benchmark/$sc.csv" | awk -F, '$2 ~ /^[0-9.]+$/ { printf "    %-6s %9.0f req/s  p50 %s ms  p99 %s ms\n", $1, $2, $5, $7 }' >&2
  fi
  finish_scenario "$sc"
}

finish_scenario() { # scenario: keeps the server logs, stops the servers
  local i
  for i in "${!SERVER_LOGS[@]}"; do cp "${SERVER_LOGS[i]}" "$RAW/logs/$1.${SERVER_ROLES[i]}.log" 2>/dev/null || true; done
  stop_servers
  log "scenario $1: done"
}

# ---------------------------------------------------------------- scale-out
now_ms() { local t=$EPOCHREALTIME; t=${t%.*}${t#*.}; echo "${t:0:13}"; }
cpu_sampler() { # ports-file generator-pid: once a second one JSON line, the CPU ticks of every silo (the file: "port pid"
  # per silo, may grow), of the generator and of the whole machine (busy time of all CPUs)
  local port pid ms silos generator
  while :; do
    ms=$(now_ms) silos=""
    while read -r port pid; do
      ticks_of "$pid"
      silos+="${silos:+,}{\"port\":$port,\"pid\":$pid,\"cpuTicks\":$TICKS}"
    done <"$1"
    ticks_of "$2"
    generator=$TICKS
    machine_ticks
    printf '{"unixMs":%s,"clockTicksPerSecond":%s,"silos":[%s],"generatorTicks":%s,"machineTicks":%s}\n' \
      "$ms" "$CLK_TCK" "$silos" "$generator" "$TICKS"
    sleep 1
  done
}
slots_sampler() { # port: once a second one JSON line: the silo's INFO cluster orleans_silo_active_slots (slot grains active
  # there) and slot map version, and the slots its node owns in that map (CLUSTER NODES, the "myself" line). One sampler
  # per silo, so a slow INFO (it asks every node) delays no other silo's samples.
  local info slots version owned before after
  while :; do
    before=$(now_ms)
    info=$(timeout 2 redis-cli -p "$1" INFO cluster 2>/dev/null | tr -d '\r' || true)
    owned=$(timeout 2 redis-cli -p "$1" CLUSTER NODES 2>/dev/null |
      awk '/myself/ { n = 0; for (i = 9; i <= NF; i++) { k = split($i, r, "-"); n += (k == 2 ? r[2] - r[1] + 1 : 1) } print n }' || true)
    after=$(now_ms)
    slots=$(sed -n 's/^orleans_silo_active_slots://p' <<<"$info")
    version=$(sed -n 's/^orleans_slot_map_version://p' <<<"$info")
    printf '{"unixMs":%s,"port":%s,"activeSlots":%s,"ownedSlots":%s,"mapVersion":%s}\n' \
      $(((before + after) / 2)) "$1" "${slots:-null}" "${owned:-null}" "${version:-null}"
    sleep $(((after - before) >= 1000 ? 0 : 1))
  done
}

scaleout_run() { # two silos are up and warm: getset from the cluster-mode generator, a third silo joins at JOIN_AT s
  local sc=ol-scaleout dir=$RAW/scaleout rc=0
  local out=$dir/$sc.getset.c$CONNECTIONS.json ports_file=$WORK/scaleout-ports.txt
  : >"$ports_file"
  local i ports
  IFS=, read -ra ports <<<"$PORTS"
  for i in "${!SERVER_PIDS[@]}"; do echo "${ports[i]} ${SERVER_PIDS[i]}" >>"$ports_file"; done
  local cmd=(dotnet "$LOADGEN_DLL" --ports "$PORTS" --cluster --workload getset --connections "$CONNECTIONS" --pipeline 1
    --duration "$SCALE_DURATION" --warmup "$SCALE_WARMUP" --label "$sc" --out "$out")
  record loadgen "$sc" "${cmd[@]}"
  log "  $sc: getset c$CONNECTIONS closed loop on 2 silos for $((SCALE_WARMUP + SCALE_DURATION)) s; the third silo starts at ${JOIN_AT} s"
  local started_ms
  started_ms=$(now_ms)
  "${cmd[@]}" >"$RAW/logs/$sc.out" 2>&1 &
  local lg=$!
  cpu_sampler "$ports_file" "$lg" >"$dir/cpu.jsonl" &
  local samplers=($!)
  for i in "${ports[@]}"; do slots_sampler "$i" >>"$dir/slots.$i.jsonl" & samplers+=($!); done
  BG_PIDS=("$lg" "${samplers[@]}")
  local join_ms="" ping_ms="" port3=""
  while kill -0 "$lg" 2>/dev/null; do
    if [[ -z $join_ms ]] && (($(now_ms) - started_ms >= JOIN_AT * 1000)); then
      start_silo "$sc" 3
      port3=$PORT join_ms=$(now_ms)
      log "  $sc: silo 3 started (port $port3, pid ${SERVER_PIDS[2]})"
      echo "$port3 ${SERVER_PIDS[2]}" >>"$ports_file"
      slots_sampler "$port3" >>"$dir/slots.$port3.jsonl" &
      samplers+=($!) BG_PIDS+=($!)
    fi
    if [[ -n $join_ms && -z $ping_ms && $(timeout 1 redis-cli -p "$port3" ping 2>/dev/null) == PONG ]]; then
      ping_ms=$(now_ms)
      log "  $sc: silo 3 answers PING after $(((ping_ms - join_ms) / 1000)) s"
    fi
    sleep 0.2
  done
  wait "$lg" || rc=$?
  stop_pids "${samplers[@]}"
  cat "$dir"/slots.*.jsonl >"$dir/slots.jsonl" && rm -f "$dir"/slots.*.jsonl
  BG_PIDS=()
  PORTS=$PORTS${port3:+,$port3}
  jq -n --argjson started "$started_ms" --argjson joinAt "$JOIN_AT" --arg join "$join_ms" --arg ping "$ping_ms" \
    --arg ports "$PORTS" --argjson warmup "$SCALE_WARMUP" --argjson duration "$SCALE_DURATION" \
    '{generatorStartedUnixMs: $started, joinAtSeconds: $joinAt, silo3StartedUnixMs: ($join | tonumber? // null),
      silo3PingUnixMs: ($ping | tonumber? // null), ports: ($ports | split(",") | map(tonumber)),
      warmupSeconds: $warmup, durationSeconds: $duration}' >"$dir/events.json"
  if [[ $rc != 0 ]] || [[ ! -s $out ]]; then
    log "  $sc: generator failed (exit $rc): $(tail -n 3 "$RAW/logs/$sc.out" | tr '\n' ' ')"
    FAILED_RUNS+=("$sc (exit $rc)")
    servers_alive || true
    return 0
  fi
  [[ -z $join_ms ]] && { log "  $sc: the run ended before the third silo was started (--join-at $JOIN_AT)"; FAILED_RUNS+=("$sc (no join)"); }
  # When did the third silo first answer 25 % of the replies of a second (generator timeline)?
  local share
  share=$(jq -r --argjson join "${join_ms:-0}" --arg ep "127.0.0.1:$port3" '
    [.timeline[] | select(.unixMs > $join) | {t: ((.unixMs - $join) / 1000), s: ((.replies[$ep] // 0) / ([.replies[]] | add | if . == 0 then 1 else . end))}]
    | (map(select(.s >= 0.25)) | first) as $hit
    | if $hit == null then "never reached 25 % (last second \((last.s // 0) * 100 | floor) %)" else "answered \($hit.s * 100 | floor) % of the replies \($hit.t) s after it was started" end' "$out")
  log "  $sc: $(jq -r '"\(.throughput | floor) ops/s over the run, \(.errors | add // 0) errors, \(.cluster.redirects) MOVED followed"' "$out"); silo 3 $share"
  servers_alive || SCENARIO_OK=0
}

# ---------------------------------------------------------------- run.json
version_of() { "$@" 2>/dev/null | head -1 || true; }
write_run_json() { # status
  local mem model
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  jq -n \
    --arg status "$1" \
    --arg date "$DATE" \
    --arg started "$STARTED_UTC" \
    --arg finished "$(date -u +%FT%TZ)" \
    --argjson elapsed "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" \
    --arg invocation "$(printf '%q ' "${ARGV[@]}")" \
    --argjson quick "$QUICK" --argjson duration "$DURATION" --argjson warmup "$WARMUP" --argjson rate "$RATE" \
    --argjson connections "$CONNECTIONS" --argjson slotWarm "$SLOT_WARM" --argjson benchN "$BENCH_N" \
    --argjson scaleDuration "$SCALE_DURATION" --argjson joinAt "$JOIN_AT" \
    --arg scenarios "${SCENARIOS[*]}" \
    --arg dotnet "$(version_of dotnet --version)" \
    --arg redis "$(version_of redis-server --version)" \
    --arg redisBenchmark "$(version_of redis-benchmark --version)" \
    --arg postgres "$(version_of "$PG_BIN/postgres" --version)" \
    --arg commit "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
    --arg dirty "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)" \
    --arg kernel "$(uname -sr)" \
    --argjson nproc "$(nproc)" --arg model "$model" --arg mem "$mem" \
    --arg load "$LOAD_BEFORE" --arg loadAfter "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --argjson failed "$(printf '%s\n' ${FAILED_RUNS[@]+"${FAILED_RUNS[@]}"} | jq -R . | jq -s 'map(select(length > 0))')" \
    --slurpfile commands "$RAW/commands.jsonl" \
    '{status: $status, date: $date, startedUtc: $started, finishedUtc: $finished, elapsedSeconds: $elapsed,
      invocation: $invocation,
      settings: {quick: ($quick == 1), durationSeconds: $duration, warmupSeconds: $warmup, openLoopRate: $rate,
                 connections: $connections, slotWarmSeconds: $slotWarm, redisBenchmarkRequests: $benchN,
                 scaleoutDurationSeconds: $scaleDuration, joinAtSeconds: $joinAt,
                 scenarios: ($scenarios | split(" "))},
      versions: {dotnet: $dotnet, redisServer: $redis, redisBenchmark: $redisBenchmark, postgres: $postgres,
                 orleansLuaCommit: $commit, trackedFilesChanged: ($dirty | tonumber)},
      machine: {nproc: $nproc, cpuModel: $model, memory: $mem, kernel: $kernel,
                loadAverageBefore: $load, loadAverageAfter: $loadAfter},
      failedRuns: $failed, commands: $commands}' >"$RAW/run.json"
}

# ---------------------------------------------------------------- the run
STARTED_UTC=$(date -u +%FT%TZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$RAW/commands.jsonl"
record invocation all "${ARGV[@]}"
log "loadtest: scenarios ${SCENARIOS[*]}; ${DURATION}s measured + ${WARMUP}s warm-up per run; open loop ${RATE}/s; $(nproc) cores, load average $LOAD_BEFORE; results in $OUT"
for sc in "${SCENARIOS[@]}"; do
  run_scenario "$sc"
done
stop_postgres
STATUS=complete
((${#FAILED_RUNS[@]})) && STATUS="complete, ${#FAILED_RUNS[@]} failed"
write_run_json "$STATUS"
report_cmd=(dotnet "$REPORT_DLL" "$OUT")
log "writing the report: ${report_cmd[*]}"
"${report_cmd[@]}"
log "done in $(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s: $OUT/report.md"
((${#FAILED_RUNS[@]} == 0)) || { log "failed runs: ${FAILED_RUNS[*]}"; exit 1; }
