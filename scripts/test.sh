#!/usr/bin/env bash
# `npm test`: unit, integration and end-to-end tests. Needs the PostgreSQL server (POSTGRES_URL, default
# postgres://postgres@127.0.0.1:5432) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Each suite gets
# databases of its own; the shop's own database is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

server="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$server/hindsight_test}"
export E2E_DATABASE_URL="${E2E_DATABASE_URL:-$server/hindsight_e2e}"

echo "==> Unit tests"
npx vitest run --project unit

echo "==> Integration tests (PostgreSQL: $TEST_DATABASE_URL)"
npx vitest run --project int

echo "==> End-to-end tests (PostgreSQL: $E2E_DATABASE_URL, Chromium)"
DATABASE_URL="$E2E_DATABASE_URL" npx tsx scripts/reset-database.ts
DATABASE_URL="$E2E_DATABASE_URL" npm run --silent db:seed
npx next build
npx playwright test --config e2e/playwright.config.ts
