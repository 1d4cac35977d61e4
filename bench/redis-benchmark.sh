#!/usr/bin/env bash
# Side-by-side redis-benchmark: OrleansLua (one silo, co-hosted gateway, Release) vs redis-server,
# same machine, same run, same workloads. Prints requests/s for each and the ratio OrleansLua/Redis.
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
dotnet silo/bin/Release/net10.0/OrleansLua.Silo.dll --port $OL_PORT --silo-port 11190 --gateway-port 30090 --storage memory \
  --Logging:LogLevel:Default=Warning >/tmp/orleanslua-bench.log 2>&1 &
OL_PID=$!
for _ in $(seq 1 60); do redis-cli -p $OL_PORT ping >/dev/null 2>&1 && break; sleep 0.5; done

INCR_SCRIPT="return redis.call('INCR', KEYS[1])"
RATE_SCRIPT=$(cat bench/ratelimit.lua)
for port in $OL_PORT $REDIS_PORT; do
  INCR_SHA=$(redis-cli -p $port SCRIPT LOAD "$INCR_SCRIPT")
  RATE_SHA=$(redis-cli -p $port SCRIPT LOAD "$RATE_SCRIPT")
done

# name | redis-benchmark arguments
WORKLOADS=(
  "SET|-t set"
  "GET|-t get"
  "INCR|-t incr"
  "EVALSHA incr (1 call)|EVALSHA $INCR_SHA 1 ev:__rand_int__"
  "EVALSHA rate limiter (10 calls)|EVALSHA $RATE_SHA 1 {rl:__rand_int__} now 100"
)

rps() { # port pipeline args... -> requests per second
  local port=$1 pipeline=$2; shift 2
  redis-benchmark -p "$port" -c "$C" -n "$N" -r $KEYSPACE -P "$pipeline" --csv "$@" 2>/dev/null \
    | tail -n 1 | tr -d '"' | cut -d, -f2
}

# Warm up: activate slot grains and JIT the hot paths before measuring.
redis-benchmark -p $OL_PORT -c "$C" -n 100000 -r $KEYSPACE -t set,get -q >/dev/null 2>&1

printf "%-36s %6s %14s %14s %7s\n" "workload" "P" "OrleansLua" "redis-server" "ratio"
for pipeline in 1 16; do
  for w in "${WORKLOADS[@]}"; do
    name=${w%%|*}; args=${w#*|}
    # shellcheck disable=SC2086
    a=$(rps $OL_PORT "$pipeline" $args)
    # shellcheck disable=SC2086
    b=$(rps $REDIS_PORT "$pipeline" $args)
    printf "%-36s %6s %14s %14s %7.2f\n" "$name" "$pipeline" "$a" "$b" "$(echo "$a / $b" | bc -l)"
  done
done
