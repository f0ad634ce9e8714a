#!/usr/bin/env bash
# `npm start`: the shop at http://localhost:${PORT:-3000}. Builds the app first when there is no build yet
# (or the sources changed since). Without DATABASE_URL it runs on the embedded database, created, migrated
# and seeded on first start, with every consumer of the log inside the web server: nothing else to install or run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-if-needed.sh
# SIGTERM and SIGINT are handled by the shop (server/main/shutdown.ts), not Next.js: the HTTP server still closes
# gracefully, and then the embedded database stops cleanly and the last trace spans are sent before the exit.
export NEXT_MANUAL_SIG_HANDLE=true
exec npx next start --port "${PORT:-3000}"
