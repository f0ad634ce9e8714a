#!/usr/bin/env bash
# Builds the web app when there is no build yet or a source changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app common domain server db projections next.config.js instrumentation.ts package-lock.json -newer .next/BUILD_ID -print -quit)" ]; then
  echo "Hindsight: building the web app (about half a minute) …"
  npx next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
  rm -f .next-build.log
fi
