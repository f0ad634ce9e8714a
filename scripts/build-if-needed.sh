#!/usr/bin/env bash
# Builds the web app unless the build in .next was made by scripts/build.sh from exactly the sources there
# are now (content, not modification times: `npm install` rewrites package-lock.json's time and a checkout
# every file's). The BUILD_ID in the record ties it to that build, so one made since by a bare `next build`
# is not taken for it.
set -euo pipefail
cd "$(dirname "$0")/.."
current="$(bash scripts/build-sources.sh) $(cat .next/BUILD_ID 2>/dev/null || true)"
if [ "$current" != "$(cat .next/hindsight-sources.sha256 2>/dev/null || true)" ]; then
  echo "Hindsight: building the web app (about half a minute) …"
  bash scripts/build.sh > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
  rm -f .next-build.log
fi
