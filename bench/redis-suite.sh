#!/usr/bin/env bash
# Runs Redis 7.0.15's own test suite (../shared/redis-suite) against one silo (Release build, --storage memory),
# restarting the silo before every unit so no unit's leftovers poison the next, then compares with real
# redis-server's calibration run. Usage: bench/redis-suite.sh OUT_DIR [UNIT ...]
#   bench/redis-suite.sh /tmp/suite                       # the 12 default units (EVAL pass of scripting only)
#   bench/redis-suite.sh /tmp/suite-k keyspace scripting  # chosen units
#   SUITE_ARGS="--extended" bench/redis-suite.sh /tmp/suite-ext   # more run.sh options (see its -h)
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE=${REDIS_SUITE:-../shared/redis-suite}
OUT=${1:?usage: bench/redis-suite.sh OUT_DIR [options] [units]}
shift
PORT=${SUITE_PORT:-6400}
SILO=silo/bin/Release/net10.0/OrleansLua.Silo.dll
[[ -f $SILO ]] || dotnet build silo -c Release -nologo -v q
mkdir -p "$OUT"
PIDFILE=$OUT/silo.pid

cat >"$OUT/restart-silo.sh" <<HOOK
#!/usr/bin/env bash
# before every unit: a fresh silo
[[ -f $PIDFILE ]] && kill \$(cat $PIDFILE) 2>/dev/null && sleep 1
cd $PWD
dotnet $SILO --port $PORT --storage memory --silo-port $((PORT + 10000)) --gateway-port $((PORT + 20000)) \
  >>"$OUT/silo.log" 2>&1 &
echo \$! >$PIDFILE
for _ in \$(seq 1 150); do redis-cli -p $PORT ping 2>/dev/null | grep -q PONG && exit 0; sleep 0.2; done
echo "silo did not answer PING" >&2; exit 1
HOOK
chmod +x "$OUT/restart-silo.sh"
trap '[[ -f $PIDFILE ]] && kill $(cat $PIDFILE) 2>/dev/null || true' EXIT

# FUNCTION does not exist yet: the lenient setup and the EVAL-only scripting pass (see the suite's README)
status=0
# shellcheck disable=SC2086
"$SUITE/run.sh" -o "$OUT" --singledb --lenient-setup --scripting-eval-only --before-unit "$OUT/restart-silo.sh" ${SUITE_ARGS:-} \
  "$SUITE/redis-7.0.15" 127.0.0.1 "$PORT" "$@" || status=$?
"$SUITE/compare.sh" "$SUITE/calibration/portable-default" "$OUT" || true
exit $status
