#!/usr/bin/env bash
# Prints one SHA-256 over the content and names of everything `next build` reads, so that a build can be
# known current by what went into it rather than by modification times (which `npm install` and `git
# checkout` move without changing anything).
#
# The build reads the pages (app/) and instrumentation.ts with everything they import: the code folders at
# the top level (common, contracts, db, domain, integration, processes, projections, reactors, server,
# services), the configuration (next.config.js, tsconfig.json, .env files) and the dependencies
# (package.json, package-lock.json). Rather than a list of folders that a new one would silently miss, this
# takes everything at the top level except what no build reads: tests, docs, scripts, the e2e suite, the
# other tools' configuration and files the build or the type check write themselves. A rebuild too many
# costs half a minute; a missed one serves stale code.
set -euo pipefail
cd "$(dirname "$0")/.."
find . -mindepth 1 \
  \( \( -path './.*' ! -path './.env*' \) -o -path ./node_modules -o -path ./docs -o -path ./e2e -o -path ./scripts \
     -o -path ./test-results -o -path ./playwright-report -o -path ./next-env.d.ts -o -path ./vitest.config.ts \
     -o -path ./drizzle.config.ts -o -name '*.spec.ts' -o -name '*.spec.tsx' -o -name '*.md' -o -name '*.tsbuildinfo' \) -prune \
  -o -type f -print0 |
  LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d ' ' -f 1
