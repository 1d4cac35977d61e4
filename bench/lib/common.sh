# Shared by the bench scripts (sourced): ports, and a private PostgreSQL with fsync on.
# The caller sets WORK (a temp dir) and PG_BIN (PostgreSQL's bin directory) and runs as root.

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
