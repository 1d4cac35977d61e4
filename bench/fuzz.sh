#!/usr/bin/env bash
# RESP fuzzing, side by side: the same generated frames (bench/fuzz, same seed) against one
# OrleansLua silo (Release, memory storage) and against redis-server; prints both summaries.
# Fails when a bystander check failed or a server died on either.
#   bench/fuzz.sh [frames] [seed] [--no-whole-server]
set -euo pipefail
cd "$(dirname "$0")/.."
FRAMES=${1:-1000000}
SEED=${2:-1}
EXTRA=("${@:3}") # e.g. --no-whole-server (bench/fuzz/README.md)

command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)"; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
OL_PORT=$(free_port); SILO_PORT=$(free_port); GATEWAY_PORT=$(free_port); REDIS_PORT=$(free_port)

dotnet build OrleansLua.sln -c Release -nologo -v q >/dev/null
FUZZ="dotnet bench/fuzz/bin/Release/net10.0/OrleansLua.Fuzz.dll"

cleanup() { kill "${OL_PID:-}" "${REDIS_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
LOG=$(mktemp /tmp/orleanslua-fuzz-silo.XXXXXX.log)
dotnet silo/bin/Release/net10.0/OrleansLua.Silo.dll --port "$OL_PORT" --silo-port "$SILO_PORT" --gateway-port "$GATEWAY_PORT" \
  --storage memory --Logging:LogLevel:Default=Warning >"$LOG" 2>&1 &
OL_PID=$!
redis-server --port "$REDIS_PORT" --save "" --appendonly no --daemonize no >/dev/null &
REDIS_PID=$!
for port in "$OL_PORT" "$REDIS_PORT"; do
  for _ in $(seq 1 120); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
done
echo "OrleansLua silo pid $OL_PID on $OL_PORT (log $LOG), redis-server $(redis-server --version | cut -d' ' -f3) pid $REDIS_PID on $REDIS_PORT"
echo "$FUZZ --frames $FRAMES --seed $SEED ${EXTRA[*]} --port P --pid PID"

status=0
$FUZZ --port "$OL_PORT" --pid "$OL_PID" --frames "$FRAMES" --seed "$SEED" "${EXTRA[@]}" --label "OrleansLua (1 silo)" || status=$?
$FUZZ --port "$REDIS_PORT" --pid "$REDIS_PID" --frames "$FRAMES" --seed "$SEED" "${EXTRA[@]}" --label "redis-server" || status=$?
exit $status
