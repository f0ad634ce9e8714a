#!/usr/bin/env bash
# `npm run shop`: the whole shop on this machine's PostgreSQL server (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/hindsight) and Elasticsearch (ELASTICSEARCH_URL; when unset, the local
# node of scripts/elasticsearch.sh, started if needed): migrate, seed, build, then the web server on PORT
# (3000) and the projector beside it. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  bash scripts/elasticsearch.sh start
fi

npm run --silent db:migrate
npm run --silent db:seed
echo "Building the web app…"
npx next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
rm -f .next-build.log

npm run --silent projector &
projector=$!
trap 'kill "$projector" 2>/dev/null; wait "$projector" 2>/dev/null' EXIT INT TERM

echo "Hindsight is starting on http://localhost:${PORT:-3000}"
npx next start --port "${PORT:-3000}"
