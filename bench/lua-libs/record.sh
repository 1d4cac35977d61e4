#!/usr/bin/env bash
# Regenerates tests/Scripting/LibraryTests.cs from a private redis-server 7.0.15 (Debian 12's
# redis-server package), then shows where the lua5.4 harness still differs from it.
set -euo pipefail
cd "$(dirname "$0")"
PORT=${PORT:-6391}
export PYTHONDONTWRITEBYTECODE=1
command -v redis-server >/dev/null && command -v lua5.4 >/dev/null || apt-get install -y redis-server lua5.4
redis-server --version | grep -q 'v=7.0.15' || echo "warning: $(redis-server --version)" >&2
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir /tmp --daemonize yes
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
python3 record.py "$PORT"
python3 compare.py "$PORT"
