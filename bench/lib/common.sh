# Shared by the bench scripts (sourced): ports, a private PostgreSQL with fsync on, and servers' readiness,
# pid and CPU time. For PostgreSQL the caller sets WORK (a temp dir) and PG_BIN (PostgreSQL's bin
# directory) and runs as root.

pg() { runuser -u postgres -- "$@"; }

TAKEN=" "
# Ports below the kernel's ephemeral range: a port in it can be the local end of some outgoing connection
# (a client's, a silo's), and a listener cannot bind it then even though nothing listens there.
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
((EPHEMERAL_LOW > 22000)) && PORT_SPAN=$((EPHEMERAL_LOW - 20000)) || PORT_SPAN=40000
free_port() { # VAR: sets VAR to a free TCP port on 127.0.0.1, never the same twice in this run
  local p
  while :; do
    p=$((20000 + RANDOM % PORT_SPAN))
    [[ $TAKEN == *" $p "* ]] && continue
    ss -tanH "sport = :$p" | grep -q . && continue   # any socket on it, not only a listener
    TAKEN+="$p "
    printf -v "$1" %s "$p"
    return
  done
}

PG_DIR=""
PG_PORT=""
# start_postgres [max_connections]: once per run, under $WORK/pg; sets PG_DIR and PG_PORT
start_postgres() {
  [[ -n $PG_DIR ]] && return 0
  PG_DIR=$WORK/pg
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$WORK" "$PG_DIR"
  chmod 755 "$WORK"
  pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions >/dev/null
  free_port PG_PORT
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF

# $(basename "$0")
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
fsync = on
synchronous_commit = on
shared_buffers = 128MB
max_connections = ${1:-100}
max_wal_size = 1GB
logging_collector = off
CONF
  pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 30 start >/dev/null ||
    { echo "PostgreSQL did not start:" >&2; tail -n 20 "$PG_DIR/postgres.log" >&2; return 1; }
}
psql_() { pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -X -q -A -t -c "$1"; }
stop_postgres() {
  if [[ -n $PG_DIR && -f $PG_DIR/data/postmaster.pid ]]; then
    pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  PG_DIR=""
}

# Servers started by a bench script (redis-server, Garnet, a silo) and read through /proc.
# wait_ping NAME PORT PID LOG [seconds]: waits until `redis-cli ping` answers on PORT; fails with
# the tail of LOG when PID exits first or the time (default 120 s) runs out.
wait_ping() {
  local name=$1 port=$2 pid=$3 log=$4 i
  for ((i = 0; i < ${5:-120} * 4; i++)); do
    [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name exited before answering PING on port $port:" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.25
  done
  echo "$name did not answer PING on port $port within ${5:-120} s:" >&2
  tail -n 20 "$log" >&2
  return 1
}
# server_pid PORT LAUNCHED_PID: the pid of the process listening on PORT, which must be LAUNCHED_PID or
# a descendant of it (a launcher such as a dotnet tool shim may run the server as its child).
server_pid() {
  local pid p
  pid=$(ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
  [[ -n $pid ]] || { echo "nothing listens on port $1" >&2; return 1; }
  for ((p = pid; p > 1; p = $(ps -o ppid= -p "$p" | tr -d ' '))); do
    ((p == $2)) && { echo "$pid"; return 0; }
  done
  echo "port $1 is served by pid $pid ($(ps -o comm= -p "$pid")), not by pid $2 or a child of it" >&2
  return 1
}
# cpu_ticks PID: user + system CPU time of PID in clock ticks (fields 14 and 15 of /proc/PID/stat;
# the fields are counted after the ')' that closes the command name, which may contain spaces).
cpu_ticks() {
  local s
  s=$(<"/proc/$1/stat")
  read -r -a s <<<"${s##*) }"
  echo $((s[11] + s[12]))
}
