#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for the tests, on a private port
# and a Unix socket under $PGTEST_DIR. Usage: postgres.sh start|stop.
# 'start' prints the SQLAlchemy URL of a fresh database.
set -euo pipefail

PGTEST_DIR=${PGTEST_DIR:-/tmp/envledger-pgtest}
PGTEST_PORT=${PGTEST_PORT:-54329}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found; run scripts/install-system-deps.sh" >&2; exit 1; }

# initdb refuses to run as root; Debian's package creates the 'postgres' user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ ! -f "$PGTEST_DIR/data/PG_VERSION" ]; then
      mkdir -p "$PGTEST_DIR"
      [ "$(id -u)" -eq 0 ] && chown postgres "$PGTEST_DIR"
      as_owner "$bindir/initdb" -D "$PGTEST_DIR/data" -U envledger --auth=trust >/dev/null
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -w \
        -o "-p $PGTEST_PORT -k $PGTEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    fi
    echo "postgresql+psycopg://envledger@127.0.0.1:$PGTEST_PORT/postgres"
    ;;
  status)
    as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" status >/dev/null 2>&1
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
