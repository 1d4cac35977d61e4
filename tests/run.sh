#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests talk to (redis-cli, redis-server, Node.js + BullMQ, PostgreSQL) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-cli >/dev/null || need+=(redis-tools)
# redis-server: the reference that differential tests compare answers with
command -v redis-server >/dev/null || need+=(redis-server)
command -v node >/dev/null || need+=(nodejs npm)
# PostgreSQL: the multi-silo tests start a private server (membership; initdb/pg_ctl from the package)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Node.js clients (BullMQ on ioredis, ioredis and node-redis cluster clients) for the client-compatibility tests
# (npm install, not npm ci: the lock file leaves out other platforms' optional packages)
[ -d tests/node-clients/node_modules/bullmq ] && [ -d tests/node-clients/node_modules/redis ] ||
  npm install --prefix tests/node-clients --no-audit --no-fund --no-save --loglevel=error

# The test process keeps .NET's default socket completions (queued to the pool), unlike a silo process
# (RuntimeTuning): tests block on redis-cli's output, which .NET reads through the socket engine, and a
# blocked engine thread would wait for itself. Silo and gateway processes the tests start run inline.
# A test that hangs fails the run after 10 minutes, naming itself, instead of using up CI's time.
dotnet build OrleansLua.sln -c Release -warnaserror -nologo -v q
dotnet test OrleansLua.sln -c Release --no-build -nologo --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
