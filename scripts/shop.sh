#!/usr/bin/env bash
# `npm run shop`: the full stack on this machine: the PostgreSQL server (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/hindsight) and Elasticsearch (ELASTICSEARCH_URL; when unset, the local
# node of scripts/elasticsearch.sh, started if needed) and NATS with JetStream (NATS_URL; when unset, the local
# server of scripts/nats.sh, started if needed): migrate, seed, build, then the web server on PORT (3000),
# the payment gateway simulator (PAYMENTS_PORT, 4100), the warehouse service (its own database,
# WAREHOUSE_DATABASE_URL, default hindsight_warehouse on the same server) and the worker (every consumer of
# the log, the fulfillment process and the relay to the broker among them) as processes of their own.
# Ctrl-C stops them all. Mail goes to SMTP_URL, or to the development mailbox (/mailbox) when it is unset.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hindsight}"
if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  bash scripts/elasticsearch.sh start
  export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT:-9200}"
fi

if [ -z "${NATS_URL:-}" ]; then
  export NATS_URL="nats://127.0.0.1:4222"
  bash scripts/nats.sh start
fi
export WAREHOUSE_DATABASE_URL="${WAREHOUSE_DATABASE_URL:-${DATABASE_URL%/*}/hindsight_warehouse}"

npm run --silent db:migrate
npm run --silent db:seed
bash scripts/build-if-needed.sh

export PAYMENTS_URL="${PAYMENTS_URL:-http://127.0.0.1:${PAYMENTS_PORT:-4100}}"
npm run --silent payments &
payments=$!
npm run --silent warehouse &
warehouse=$!
npm run --silent worker &
worker=$!
trap 'kill "$worker" "$warehouse" "$payments" 2>/dev/null; wait "$worker" "$warehouse" "$payments" 2>/dev/null' EXIT INT TERM

echo "Hindsight is starting on http://localhost:${PORT:-3000}"
# The shop's own signal handling (server/main/shutdown.ts): a graceful close, then the last trace spans sent.
NEXT_MANUAL_SIG_HANDLE=true npx next start --port "${PORT:-3000}"
