#!/usr/bin/env bash
# `npm test`: unit tests (and mutation tests of the pure core), integration and end-to-end tests, in both run
# modes, on the `node` first on PATH.
# `npm test -- STAGE ...` runs only the stages named (deps, unit, mutation, int, int-pglite, e2e,
# e2e-zero-setup, bench), in that order whatever order they are named in; .ci/run runs some of them again on
# a second Node.
# Needs the PostgreSQL server (POSTGRES_URL, default postgres://postgres@127.0.0.1:5432), Elasticsearch
# (ELASTICSEARCH_URL; when unset, the local node of scripts/elasticsearch.sh, started here if needed), NATS
# with JetStream (NATS_URL, default nats://127.0.0.1:4222, started by scripts/nats.sh if nothing answers
# there) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Each suite gets databases, indices, streams
# and data folders of its own; the shop's are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=(deps unit mutation int int-pglite e2e e2e-zero-setup bench)
selected=" ${*:-${stages[*]}} "
for stage in $selected; do
  [[ " ${stages[*]} " == *" $stage "* ]] || { echo "scripts/test.sh: no stage '$stage' (stages: ${stages[*]})" >&2; exit 2; }
done
runs() { [[ "$selected" == *" $1 "* ]]; }
# In every stage's header, so a log shows which Node ran it (npx, vitest, playwright and next start all run
# on the first `node` on PATH).
node="Node $(node --version)"
echo "==> npm test on $node ($(command -v node)):$selected"

server="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$server/hindsight_test}"
export E2E_DATABASE_URL="${E2E_DATABASE_URL:-$server/hindsight_e2e}"
export E2E_INDEX_PREFIX="${E2E_INDEX_PREFIX:-hindsight_e2e}"
export E2E_WAREHOUSE_DATABASE_URL="${E2E_WAREHOUSE_DATABASE_URL:-$server/hindsight_e2e_warehouse}"
export E2E_NATS_STREAM="${E2E_NATS_STREAM:-HINDSIGHT_E2E}"
export E2E_EMBEDDED_DATA_DIR="${E2E_EMBEDDED_DATA_DIR:-.data/e2e-pglite}"
if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  bash scripts/elasticsearch.sh start
  export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT:-9200}"
fi

export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
bash scripts/nats.sh start

if runs deps; then
  echo "==> Import direction (dependency-cruiser; $node)"
  npm run --silent lint:deps
fi

if runs unit; then
  echo "==> Unit tests ($node)"
  npx vitest run --project unit
fi

if runs mutation; then
  # StrykerJS needs Node 22 or later: on an older one (this machine kind's 20) it runs on the LTS that
  # .ci/run installs, from scripts/node-bin.sh's cache.
  mutation_path="$PATH"
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
    mutation_path="$(bash scripts/node-bin.sh 24.22.3):$PATH"
  fi
  echo "==> Mutation tests of the pure core (StrykerJS on the unit tests; prints the score and every surviving mutant, fails below the break threshold; report in reports/mutation/index.html; Node $(PATH="$mutation_path" node --version))"
  PATH="$mutation_path" npm run --silent mutation
fi

if runs int; then
  echo "==> Integration tests on the PostgreSQL server ($TEST_DATABASE_URL) and Elasticsearch ($ELASTICSEARCH_URL; $node)"
  npx vitest run --project int
fi

if runs int-pglite; then
  echo "==> Integration tests on the embedded database (PGlite; $node)"
  npx vitest run --project int-pglite
fi

if runs e2e || runs e2e-zero-setup || runs bench; then
  # .ci/run (or the developer) may have just built: build again only if a source changed since.
  bash scripts/build-if-needed.sh
fi

if runs e2e; then
  echo "==> End-to-end tests, full stack (PostgreSQL: $E2E_DATABASE_URL, indices ${E2E_INDEX_PREFIX}_*, stream $E2E_NATS_STREAM, worker and warehouse processes; $node)"
  DATABASE_URL="$E2E_DATABASE_URL" npx tsx scripts/reset-database.ts
  DATABASE_URL="$E2E_WAREHOUSE_DATABASE_URL" npx tsx scripts/reset-database.ts --empty
  NATS_STREAM="$E2E_NATS_STREAM" npx tsx scripts/reset-broker.ts
  ELASTICSEARCH_INDEX_PREFIX="$E2E_INDEX_PREFIX" npx tsx scripts/reset-search.ts
  DATABASE_URL="$E2E_DATABASE_URL" npm run --silent db:seed
  npx playwright test --config e2e/playwright.config.ts
fi

if runs e2e-zero-setup; then
  echo "==> End-to-end tests, zero-setup mode (npm start: embedded database in $E2E_EMBEDDED_DATA_DIR; $node)"
  rm -rf "$E2E_EMBEDDED_DATA_DIR" "$E2E_EMBEDDED_DATA_DIR.lock"
  npx playwright test --config e2e/playwright.zero-setup.config.ts
fi

if runs bench; then
  echo "==> Benchmark smoke run (tiny sizes: proves the benchmark still works; npm run bench measures; $node)"
  npm run --silent bench -- --smoke
fi
