#!/usr/bin/env bash
# `npm run build`: builds the web app with `next build` and writes beside the build what it was built from
# (scripts/build-sources.sh) and its BUILD_ID, which scripts/build-if-needed.sh compares before every start.
set -euo pipefail
cd "$(dirname "$0")/.."
# Taken before the build: a file saved while it runs may or may not be in it, so the next check rebuilds.
sources="$(bash scripts/build-sources.sh)"
npx next build "$@"
echo "$sources $(cat .next/BUILD_ID)" > .next/hindsight-sources.sha256
