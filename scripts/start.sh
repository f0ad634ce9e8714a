#!/usr/bin/env bash
# `npm start`: the shop at http://localhost:${PORT:-3000}. Builds the app first when there is no build yet
# (or the sources changed since). Without DATABASE_URL it runs on the embedded database, created, migrated
# and seeded on first start, with every consumer of the log inside the web server: nothing else to install or run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-if-needed.sh
exec npx next start --port "${PORT:-3000}"
