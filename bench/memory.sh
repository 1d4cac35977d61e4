#!/usr/bin/env bash
# Memory, OrleansLua (one silo, Release, --storage memory) vs redis-server side by side (bench/memory.py).
#   bench/memory.sh              per element by key type: growth of INFO used_memory (OrleansLua: the
#                                managed heap after a full GC)
#   bench/memory.sh --rss [keys] process RSS (VmRSS) before and after loading KEYS (default 1,000,000)
#                                small strings, SET key:%07d <16-byte value>, pipelined
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh   # free_port, wait_ping, server_pid
MODE=types
KEYS=1000000
if [[ ${1:-} == --rss ]]; then MODE=rss; KEYS=${2:-$KEYS}; fi

dotnet build silo -c Release -nologo -v q >/dev/null
WORK=$(mktemp -d /tmp/memory.XXXXXX)
cleanup() { kill "${OL_PID:-}" "${REDIS_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port REDIS_PORT; free_port OL_PORT; free_port SILO_PORT; free_port GATEWAY_PORT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
dotnet silo/bin/Release/net10.0/OrleansLua.Silo.dll --port "$OL_PORT" --silo-port "$SILO_PORT" --gateway-port "$GATEWAY_PORT" \
  --storage memory --Logging:LogLevel:Default=Warning >"$WORK/silo.log" 2>&1 &
OL_PID=$!
wait_ping redis-server "$REDIS_PORT" "$REDIS_PID" "$WORK/redis.log"
wait_ping OrleansLua "$OL_PORT" "$OL_PID" "$WORK/silo.log"
if [[ $MODE == rss ]]; then
  ol=$(server_pid "$OL_PORT" "$OL_PID")
  redis=$(server_pid "$REDIS_PORT" "$REDIS_PID")
  python3 bench/memory.py --rss "$OL_PORT" "$REDIS_PORT" "$ol" "$redis" "$KEYS"
else
  python3 bench/memory.py "$OL_PORT" "$REDIS_PORT"
fi
