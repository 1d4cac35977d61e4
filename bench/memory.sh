#!/usr/bin/env bash
# Memory per element by key type, OrleansLua vs redis-server side by side (bench/memory.py).
set -euo pipefail
cd "$(dirname "$0")/.."
OL_PORT=6482
REDIS_PORT=6483
dotnet build silo -c Release -nologo -v q >/dev/null
cleanup() { kill "${OL_PID:-}" "${REDIS_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
redis-server --port $REDIS_PORT --save "" --appendonly no >/dev/null &
REDIS_PID=$!
dotnet silo/bin/Release/net10.0/OrleansLua.Silo.dll --port $OL_PORT --silo-port 11191 --gateway-port 30091 --storage memory \
  --Logging:LogLevel:Default=Warning >/tmp/orleanslua-memory.log 2>&1 &
OL_PID=$!
for _ in $(seq 1 60); do redis-cli -p $OL_PORT ping >/dev/null 2>&1 && break; sleep 0.5; done
python3 bench/memory.py $OL_PORT $REDIS_PORT
