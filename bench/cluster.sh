#!/usr/bin/env bash
# A local multi-silo OrleansLua cluster: a private PostgreSQL (Orleans membership; data in a temp dir)
# and N silos on 127.0.0.1, each with its co-hosted RESP gateway. Ctrl-C stops everything and deletes
# the temp dir.
#
#   bench/cluster.sh [-n SILOS] [-p PG_PORT] [--no-build] [-- EXTRA SILO ARGS...]
#
#   -n SILOS     number of silos (default 3)
#   -p PG_PORT   PostgreSQL port (default 54329)
#   --no-build   use silo/bin/Release as it is
#   after --      passed to every silo, e.g.:  bench/cluster.sh -- --storage postgres --appendfsync always
#
# Silo i (1..N) listens on RESP 7000+i, Orleans silo port 11110+i, Orleans gateway port 29999+i, so
# `redis-cli -p 7001` reaches silo 1. Kill one with `kill -9 <pid>` (printed) to watch the failover.
set -euo pipefail
cd "$(dirname "$0")/.."

silos=3
pg_port=54329
build=1
extra=()
while (($#)); do
  case "$1" in
    -n) silos="$2"; shift 2 ;;
    -p) pg_port="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli is not installed: apt-get install redis-tools" >&2; exit 1; }
((build)) && dotnet build silo/OrleansLua.Silo.csproj -c Release -nologo -v q
silo_dll="$PWD/silo/bin/Release/net10.0/OrleansLua.Silo.dll"

work=$(mktemp -d /tmp/orleanslua-cluster.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$work"
  as_pg=(runuser -u postgres --)
fi
pids=()

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping ${#pids[@]} silos and PostgreSQL…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup INT TERM EXIT

echo "PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$pg_port, data in $work/data"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null
cat >>"$work/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work'
shared_buffers = 128MB
EOF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w start >/dev/null
"${as_pg[@]}" "$pg_bin/psql" -h "$work" -p "$pg_port" -U postgres -X -q -c "CREATE DATABASE orleanslua"
cs="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=orleanslua"

for i in $(seq 1 "$silos"); do
  # The membership schema is applied by every silo on start (idempotent, safe concurrently); with
  # --postgres the silos also store their slots there unless told --storage memory.
  dotnet "$silo_dll" --clustering postgres --postgres "$cs" --port $((7000 + i)) --silo-port $((11110 + i)) --gateway-port $((29999 + i)) \
    ${extra[@]+"${extra[@]}"} >"$work/silo$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$silos"); do
  port=$((7000 + i))
  for _ in $(seq 1 600); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
    kill -0 "${pids[i-1]}" 2>/dev/null || { echo "silo $i exited:" >&2; tail -20 "$work/silo$i.log" >&2; exit 1; }
    sleep 0.2
  done
done

echo
echo "cluster up: $silos silos (extra args: ${extra[*]:-none})"
for i in $(seq 1 "$silos"); do
  echo "  redis-cli -p $((7000 + i))    # silo $i, pid ${pids[i-1]}, silo port $((11110 + i)), gateway port $((29999 + i)), log $work/silo$i.log"
done
echo "  psql -h 127.0.0.1 -p $pg_port -U postgres orleanslua -c 'SELECT Address, Port, Status FROM OrleansMembershipTable'"
echo "Ctrl-C stops everything."
wait
