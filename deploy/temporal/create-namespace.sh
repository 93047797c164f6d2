#!/bin/sh
# The namespace crm-sync runs in, registered once the server answers (the plain server image creates none).
# Run by docker-compose.yml's temporal-namespace service and by `npm run cluster`. crm-sync's workers add their
# search attributes themselves at start.
set -eu
: "${TEMPORAL_CLI:=temporal}"
: "${TEMPORAL_ADDRESS:?host:port of the Temporal frontend}"
: "${TEMPORAL_NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=72h}"

if ! "$TEMPORAL_CLI" operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  "$TEMPORAL_CLI" operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"
fi
