#!/usr/bin/env bash
# Side-by-side redis-benchmark: OrleansLua (one silo, co-hosted gateway) vs redis-server, same
# machine, same run. Prints requests/s for each and the ratio OrleansLua/Redis.
#   bench/redis-benchmark.sh [requests] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
C=${2:-50}
OL_PORT=6480
REDIS_PORT=6481
KEYSPACE=100000

command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)"; exit 1; }
dotnet build silo -c Release -nologo -v q >/dev/null

cleanup() { kill "${OL_PID:-}" "${REDIS_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
redis-server --port $REDIS_PORT --save "" --appendonly no --daemonize no >/dev/null &
REDIS_PID=$!
dotnet silo/bin/Release/net10.0/OrleansLua.Silo.dll --port $OL_PORT --silo-port 11190 --gateway-port 30090 \
  --Logging:LogLevel:Default=Warning >/tmp/orleanslua-bench.log 2>&1 &
OL_PID=$!
for i in $(seq 1 60); do redis-cli -p $OL_PORT ping >/dev/null 2>&1 && break; sleep 0.5; done

SHA=$(redis-cli -p $REDIS_PORT SCRIPT LOAD "return redis.call('INCR', KEYS[1])" 2>/dev/null || true)

run() { # port extra-args... -> lines "TEST,rps"
  local port=$1; shift
  redis-benchmark -p "$port" -c "$C" -n "$N" -r $KEYSPACE --csv "$@" 2>/dev/null | tail -n +2 | tr -d '"' | cut -d, -f1,2
}

printf "%-28s %14s %14s %8s\n" "workload" "OrleansLua" "redis-server" "ratio"
for pipeline in 1 16; do
  # warm up: activate the slot grains first
  redis-benchmark -p $OL_PORT -c "$C" -n 50000 -r $KEYSPACE -t set -q >/dev/null 2>&1
  mapfile -t ol < <(run $OL_PORT -P $pipeline -t set,get,incr)
  mapfile -t rs < <(run $REDIS_PORT -P $pipeline -t set,get,incr)
  for i in "${!ol[@]}"; do
    name=${ol[$i]%%,*}; a=${ol[$i]##*,}; b=${rs[$i]##*,}
    printf "%-28s %14s %14s %8.2f\n" "$name (P=$pipeline, c=$C)" "$a" "$b" "$(echo "$a / $b" | bc -l)"
  done
done
