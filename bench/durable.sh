#!/usr/bin/env bash
# Durable writes side by side: redis-server (AOF, appendfsync always / everysec) vs OrleansLua
# (--storage local = embedded SQLite, --storage postgres = a private PostgreSQL 15 this script starts,
# each with --appendfsync always / everysec), same machine, same run, same workloads:
#   SET on random keys, and EVALSHA of `return redis.call('INCR', KEYS[1])` on random keys,
#   unpipelined, `clients` connections, `requests` requests per test.
# Prints requests/s, p50 and p99 (redis-benchmark's CSV), the ratio OrleansLua/Redis for the same
# appendfsync mode, and for OrleansLua the group-commit batches the silo logged during each test.
#   bench/durable.sh [requests] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
C=${2:-50}
KEYSPACE=100000
WARM_GETS=100000   # untimed GETs on random keys: activates (claims and loads) nearly all 16384 slots
WARM_WRITES=3000   # untimed SET and EVALSHA runs: JIT, connection pools, first commits
PG_BIN=/usr/lib/postgresql/15/bin
SILO_DLL=silo/bin/Release/net10.0/OrleansLua.Silo.dll
INCR_SCRIPT="return redis.call('INCR', KEYS[1])"

# ---------------------------------------------------------------- prerequisites
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "installing redis-server (apt)..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
fi
if [[ ! -x $PG_BIN/initdb ]]; then
  echo "installing postgresql-15 (apt)..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
[[ -f $SILO_DLL ]] || dotnet build OrleansLua.sln -c Release -nologo -v q >/dev/null

# ---------------------------------------------------------------- processes, temp dirs, cleanup
WORK=$(mktemp -d /tmp/ol-durable-XXXXXX)   # everything this run writes lives here
SERVER_PID=""
source bench/lib/common.sh   # pg, free_port, start_postgres, psql_, stop_postgres
stop_server() { # SIGTERM, then SIGKILL after 5 s: the data is thrown away anyway
  local pid=$SERVER_PID
  SERVER_PID=""
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  stop_server
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

wait_ping() { # port what log
  for _ in $(seq 1 240); do
    [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.25
  done
  echo "$2 did not start; last lines of $3:" >&2
  tail -n 30 "$3" >&2
  exit 1
}

# ---------------------------------------------------------------- servers
start_redis() { # mode
  local dir=$WORK/redis-$1
  mkdir -p "$dir"
  free_port PORT
  LOG=$dir/redis.log
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --dir "$dir" \
    --appendonly yes --appendfsync "$1" --daemonize no --logfile "$LOG" &
  SERVER_PID=$!
  wait_ping "$PORT" "redis-server" "$LOG"
}

RUN=0
start_silo() { # storage mode
  local storage=$1 mode=$2 dir extra=()
  RUN=$((RUN + 1))
  dir=$WORK/silo-$storage-$mode
  mkdir -p "$dir"
  if [[ $storage == postgres ]]; then
    local db="orleanslua_$RUN"   # a fresh database for every run
    psql_ "CREATE DATABASE $db"
    # One silo: PostgreSQL holds the data only; membership stays on localhost.
    extra=(--postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db" --clustering localhost)
  fi
  local silo_port gateway_port
  free_port PORT
  free_port silo_port
  free_port gateway_port
  LOG=$dir/silo.log
  dotnet "$SILO_DLL" --port "$PORT" --silo-port "$silo_port" --gateway-port "$gateway_port" \
    --storage "$storage" --data-dir "$dir/data" --appendfsync "$mode" "${extra[@]}" \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:OrleansLua.Grains.Persistence=Information \
    --Logging:Console:FormatterOptions:SingleLine=true >"$LOG" 2>&1 &
  SERVER_PID=$!
  wait_ping "$PORT" "OrleansLua silo ($storage, $mode)" "$LOG"
}

# ---------------------------------------------------------------- measuring
storage_lines() { grep -c 'Storage: [0-9]* commits' "$LOG" || true; }
wait_storage_line() { # wait until the silo logged more than $1 Storage lines (it logs every 10 s while committing)
  for _ in $(seq 1 120); do
    (($(storage_lines) > $1)) && return 0
    sleep 0.1
  done
  return 1
}
batches() { # first last: group commits logged in Storage lines first..last -> "per-commit largest ms/commit"
  grep 'Storage: [0-9]* commits' "$LOG" | sed -n "$1,$2p" |
    sed -E 's/.*Storage: ([0-9]+) commits, ([0-9]+) write sets \([0-9.]+ per commit, largest ([0-9]+)\), [0-9]+ keys, ([0-9.]+) ms per commit, ([0-9]+) failures.*/\1 \2 \3 \4 \5/' |
    awk '{ c += $1; w += $2; if ($3 > m) m = $3; t += $1 * $4; f += $5 }
         END { if (c) printf "%.1f %d %.2f %d\n", w / c, m, t / c, f; else print "- - - 0" }'
}

bench() { # args... -> "rps p50 p99" (redis-benchmark --csv: test,rps,avg,min,p50,p95,p99,max)
  local err=$WORK/bench.err
  redis-benchmark -p "$PORT" -c "$C" -n "$N" -r $KEYSPACE --csv "$@" 2>"$err" | tail -n 1 | tr -d '"' |
    awk -F, '{ printf "%.0f %.2f %.2f\n", $2, $5, $7 }'
  if [[ -s $err ]]; then echo "  redis-benchmark said: $(sort -u "$err" | head -3 | tr '\n' ' ')" >&2; fi
}

declare -A RPS P50 P99 BATCH
TESTS=("SET" "EVALSHA incr")
measure() { # server storage mode
  local server=$1 storage=$2 mode=$3 sha key n0 n1 i test result rps p50 p99
  sha=$(redis-cli -p "$PORT" SCRIPT LOAD "$INCR_SCRIPT")
  [[ $sha =~ ^[0-9a-f]{40}$ ]] || { echo "SCRIPT LOAD failed: $sha" >&2; exit 1; }
  local -a args=(
    "-t set"                              # SET key:__rand_int__ xxx
    "EVALSHA $sha 1 ev:__rand_int__"      # own key prefix: INCR on a SET value would be an error
  )
  # Warm up (untimed): activate the slots, then a short run of each workload.
  if [[ $server == OrleansLua ]]; then
    redis-benchmark -p "$PORT" -c "$C" -n $WARM_GETS -r $KEYSPACE -t get -q >/dev/null 2>&1
  fi
  for i in 0 1; do
    # shellcheck disable=SC2086
    redis-benchmark -p "$PORT" -c "$C" -n $WARM_WRITES -r $KEYSPACE -q ${args[$i]} >/dev/null 2>&1
  done
  if [[ $server == OrleansLua ]]; then
    sleep 0.3                           # everysec: let the warm-up's last write sets commit
    n0=$(storage_lines)
    wait_storage_line "$n0" || true     # start right after a report, so a test's commits fall in few reports
  fi
  key="$server|$storage|$mode"
  for i in 0 1; do
    test=${TESTS[$i]}
    n0=$(storage_lines)
    # shellcheck disable=SC2086
    result=$(bench ${args[$i]})
    read -r rps p50 p99 <<<"$result"
    RPS["$key|$test"]=$rps P50["$key|$test"]=$p50 P99["$key|$test"]=$p99
    if [[ $server == OrleansLua ]]; then
      sleep 0.3
      n1=$(storage_lines)
      wait_storage_line "$n1" || true   # the report that covers the end of the test
      n1=$(storage_lines)
      BATCH["$key|$test"]=$(batches $((n0 + 1)) "$n1")
    fi
    printf "  %-10s %-8s %-8s %-13s %8s req/s  p50 %s  p99 %s ms\n" "$server" "$storage" "$mode" "$test" \
      "${RPS[$key|$test]}" "${P50[$key|$test]}" "${P99[$key|$test]}" >&2
  done
  # The script really ran: a probe key counts 1, 2.
  [[ $(redis-cli -p "$PORT" EVALSHA "$sha" 1 probe:x) == 1 && $(redis-cli -p "$PORT" EVALSHA "$sha" 1 probe:x) == 2 ]] ||
    echo "  warning: EVALSHA probe failed on $server $storage $mode" >&2
  if [[ $server == OrleansLua ]] && grep -q -E 'fail:|crit:|Storage commit failed' "$LOG"; then
    echo "  silo errors ($storage, $mode):" >&2
    grep -E 'fail:|crit:' "$LOG" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 >&2
  fi
}

# ---------------------------------------------------------------- the runs
echo "durable writes: $N requests, $C clients, keys from $KEYSPACE, $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)), redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')" >&2
for mode in always everysec; do
  start_redis "$mode"
  measure redis-server aof "$mode"
  stop_server
done
start_postgres
for storage in local postgres; do
  for mode in always everysec; do
    start_silo "$storage" "$mode"
    measure OrleansLua "$storage" "$mode"
    stop_server
  done
done

# ---------------------------------------------------------------- the table
echo
echo "bench/durable.sh $N $C, $(date -u +%Y-%m-%d), $(nproc) cores shared by redis-benchmark and the servers; p50/p99 in ms"
echo
printf "| server | storage | appendfsync | test | req/s | p50 ms | p99 ms | req/s vs Redis | p99 vs Redis | write sets per commit (largest) | ms per commit |\n"
printf "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
for mode in always everysec; do
  for test in "${TESTS[@]}"; do
    ref="redis-server|aof|$mode|$test"
    for key in "redis-server|aof" "OrleansLua|local" "OrleansLua|postgres"; do
      k="$key|$mode|$test"
      rps=${RPS[$k]:-0} ratio="" p99ratio="" batch="" commit=""
      if [[ $key == OrleansLua* ]]; then
        ratio=$(awk -v a="$rps" -v b="${RPS[$ref]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
        p99ratio=$(awk -v a="${P99[$k]:-0}" -v b="${P99[$ref]:-0}" 'BEGIN { if (b > 0) printf "%.1f", a / b }')
        read -r per largest ms failures <<<"${BATCH[$k]:-- - - 0}"
        batch="$per ($largest)"
        commit=$ms
        ((failures == 0)) || commit="$ms, $failures failures"
      fi
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "${key%%|*}" "${key#*|}" "$mode" "$test" \
        "$rps" "${P50[$k]:-}" "${P99[$k]:-}" "$ratio" "$p99ratio" "$batch" "$commit"
    done
  done
done
