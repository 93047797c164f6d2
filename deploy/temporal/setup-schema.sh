#!/bin/sh
# Temporal's two databases on PostgreSQL, created on first use and migrated to the schema version the tool was built
# with (each step is a no-op when already done, so this runs before every start). Run by docker-compose.yml's
# temporal-schema service (temporalio/admin-tools image) and by `npm run cluster` (the tool built from source).
# The schemas are the tool's embedded copies: no schema folder needs to match the binary.
set -eu
: "${SQL_TOOL:=temporal-sql-tool}"
: "${POSTGRES_SEEDS:?host of PostgreSQL}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:?}"
: "${POSTGRES_PWD:?}"

sql_tool() {
  "$SQL_TOOL" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"
}

for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db=${pair%%:*}
  schema=${pair#*:}
  sql_tool --db "$db" create-database
  # versioning tables only; an existing schema keeps its (higher) version
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema --schema-name "$schema"
done
