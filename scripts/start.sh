#!/usr/bin/env bash
# `npm start`: the shop at http://localhost:${PORT:-3000}. Builds the app first when there is no build yet
# (or the sources changed since). Without DATABASE_URL it runs on the embedded database, created, migrated
# and seeded on first start, with the projectors inside the web server: nothing else to install or run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f .next/BUILD_ID ] || [ -n "$(find app server db projections next.config.js instrumentation.ts package-lock.json -newer .next/BUILD_ID -print -quit)" ]; then
  echo "Hindsight: building the web app (once; about half a minute) …"
  npx next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
  rm -f .next-build.log
fi
exec npx next start --port "${PORT:-3000}"
