#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store's integration tests and prints the URL to use:
#   eval "$(.ci/postgres.sh)"
# Idempotent: when something already answers on the port, it only makes sure the database exists and prints.
# Only the `export` line goes to stdout (so `eval` is safe); everything else goes to stderr.
set -euo pipefail

PORT="${CRM_SYNC_PG_PORT:-55432}"
DB=crm_sync_test
SUPERUSER=postgres
STATE_FILE="/tmp/crm-sync-postgres-${PORT}.dir"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  # Debian keeps server binaries out of PATH, one directory per major version; take the newest.
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; fi
}

BINDIR="$(find_bindir)"
if [[ -z "$BINDIR" ]]; then
  log "PostgreSQL not found; installing from Debian packages"
  if [[ "$(id -u)" -ne 0 ]]; then log "need root to install postgresql (apt-get)"; exit 1; fi
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  BINDIR="$(find_bindir)"
  [[ -n "$BINDIR" ]] || { log "postgresql installed but pg_ctl not found"; exit 1; }
fi

# Postgres refuses to run as root; as root we run the cluster as the postgres OS user, otherwise as ourselves.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_database() {
  local exists
  exists="$("$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
  if [[ "$exists" != "1" ]]; then
    "$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -qc "CREATE DATABASE $DB" >&2
    log "created database $DB"
  fi
}

if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "already running on 127.0.0.1:$PORT"
else
  DATA_ROOT="$(mktemp -d /tmp/crm-sync-pg.XXXXXX)"
  [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$DATA_ROOT"
  as_owner "$BINDIR/initdb" -D "$DATA_ROOT/data" -U "$SUPERUSER" --auth=trust -E UTF8 --no-locale >/dev/null
  # fsync off: the cluster is disposable and tests should not wait on disk flushes.
  as_owner "$BINDIR/pg_ctl" -D "$DATA_ROOT/data" -l "$DATA_ROOT/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA_ROOT -c fsync=off -c max_connections=200" start >&2
  echo "$DATA_ROOT" >"$STATE_FILE"
  log "started on 127.0.0.1:$PORT (data in $DATA_ROOT/data; stop with: $( [[ "$(id -u)" -eq 0 ]] && echo 'runuser -u postgres -- ')$BINDIR/pg_ctl -D $DATA_ROOT/data stop)"
fi

ensure_database
echo "export TEST_DATABASE_URL=postgres://${SUPERUSER}@127.0.0.1:${PORT}/${DB}"
