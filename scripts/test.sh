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
# and data folders of its own, named with the run's id, and ports free at the start, so two runs side by side
# pass; the shop's are never touched, and the run removes its own when it ends.
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

# Names of this run's own: a short run id (HINDSIGHT_TEST_RUN to choose it) in every database, index prefix,
# stream, subject prefix and data folder the run creates, so two runs side by side on one machine, against
# the same servers, never meet; each setting below still takes an explicit value.
run="${HINDSIGHT_TEST_RUN:-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')}"
[[ "$run" =~ ^[a-z0-9]{1,16}$ ]] || { echo "scripts/test.sh: HINDSIGHT_TEST_RUN=$run: 1 to 16 lowercase letters or digits" >&2; exit 2; }
export HINDSIGHT_TEST_RUN="$run"
server="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
export POSTGRES_URL="$server"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$server/hindsight_test_$run}"
export E2E_DATABASE_URL="${E2E_DATABASE_URL:-$server/hindsight_e2e_$run}"
export E2E_INDEX_PREFIX="${E2E_INDEX_PREFIX:-hindsight_e2e_$run}"
export E2E_WAREHOUSE_DATABASE_URL="${E2E_WAREHOUSE_DATABASE_URL:-$server/hindsight_e2e_${run}_warehouse}"
export E2E_NATS_STREAM="${E2E_NATS_STREAM:-HINDSIGHT_E2E_${run^^}}"
export E2E_NATS_SUBJECT_PREFIX="${E2E_NATS_SUBJECT_PREFIX:-hindsight-e2e-$run}"
export E2E_EMBEDDED_DATA_DIR="${E2E_EMBEDDED_DATA_DIR:-.data/e2e-pglite-$run}"
bench_database="hindsight_bench_$run"
bench_out="${TMPDIR:-/tmp}/hindsight-bench-smoke-$run"

# Ports free now for the processes the suites start (the playwright configs are read again in every worker,
# so they take them from here): below the kernel's range for outgoing connections, which would otherwise hand
# one of them to a client meanwhile, from a random start, so runs started together rarely probe the same.
free_ports() {
  node -e '
    const net = require("node:net");
    let low = 32768;
    try { low = Number(require("node:fs").readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]); } catch {}
    const from = 10000, span = Math.max(low - from, 1000), held = [];
    const probe = (port) => new Promise((resolve) => { const server = net.createServer(); server.once("error", () => resolve(null)); server.listen(port, () => resolve(server)); });
    (async () => {
      for (let port = from + Math.floor(Math.random() * span); held.length < Number(process.argv[1]); port = from + ((port - from + 1) % span)) {
        const server = await probe(port);
        if (server) held.push([port, server]);
      }
      console.log(held.map(([port]) => port).join(" "));
      for (const [, server] of held) server.close();
    })();
  ' "$1"
}
read -r -a ports <<<"$(free_ports 4)"
export E2E_PORT="${E2E_PORT:-${ports[0]}}"
export E2E_ZERO_SETUP_PORT="${E2E_ZERO_SETUP_PORT:-${ports[1]}}"
export E2E_PAYMENTS_PORT="${E2E_PAYMENTS_PORT:-${ports[2]}}"
export E2E_SMTP_PORT="${E2E_SMTP_PORT:-${ports[3]}}"

if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  bash scripts/elasticsearch.sh start
  export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT:-9200}"
fi

export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
bash scripts/nats.sh start

# Whatever happens, the run removes what it created: its databases, indices and streams (all of them named
# with its id, so `npx tsx scripts/clean-test-run.ts --run ID` removes a killed run's) and its folders.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  echo "==> Removing what run $run created (databases, indices, streams, data folders)"
  npx tsx scripts/clean-test-run.ts --run "$run" --database "$TEST_DATABASE_URL" --database "$E2E_DATABASE_URL" \
    --database "$E2E_WAREHOUSE_DATABASE_URL" --index-prefix "$E2E_INDEX_PREFIX" --stream "$E2E_NATS_STREAM" || status=1
  rm -rf "$E2E_EMBEDDED_DATA_DIR" "$E2E_EMBEDDED_DATA_DIR".lock* "$E2E_EMBEDDED_DATA_DIR"-* "$bench_out"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "==> Run $run: databases ${TEST_DATABASE_URL##*/} (the integration template; a copy per file), ${E2E_DATABASE_URL##*/}, ${E2E_WAREHOUSE_DATABASE_URL##*/}, $bench_database; indices ${E2E_INDEX_PREFIX}_*, test_${run}_*; streams $E2E_NATS_STREAM, TEST_${run^^}_*; subjects $E2E_NATS_SUBJECT_PREFIX.*; folder $E2E_EMBEDDED_DATA_DIR; ports $E2E_PORT (web), $E2E_ZERO_SETUP_PORT (zero-setup web), $E2E_PAYMENTS_PORT (payments), $E2E_SMTP_PORT (SMTP)"

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
  echo "==> Integration tests on the PostgreSQL server (template $TEST_DATABASE_URL, a copy per file) and Elasticsearch ($ELASTICSEARCH_URL; indices test_${run}_*, streams TEST_${run^^}_*; $node)"
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
  echo "==> End-to-end tests, full stack (PostgreSQL: $E2E_DATABASE_URL and $E2E_WAREHOUSE_DATABASE_URL, indices ${E2E_INDEX_PREFIX}_*, stream $E2E_NATS_STREAM, subjects $E2E_NATS_SUBJECT_PREFIX.*, web on port $E2E_PORT, payments $E2E_PAYMENTS_PORT, SMTP $E2E_SMTP_PORT, worker and warehouse processes; $node)"
  DATABASE_URL="$E2E_DATABASE_URL" npx tsx scripts/reset-database.ts
  DATABASE_URL="$E2E_WAREHOUSE_DATABASE_URL" npx tsx scripts/reset-database.ts --empty
  NATS_STREAM="$E2E_NATS_STREAM" npx tsx scripts/reset-broker.ts
  ELASTICSEARCH_INDEX_PREFIX="$E2E_INDEX_PREFIX" npx tsx scripts/reset-search.ts
  DATABASE_URL="$E2E_DATABASE_URL" npm run --silent db:seed
  npx playwright test --config e2e/playwright.config.ts
fi

if runs e2e-zero-setup; then
  echo "==> End-to-end tests, zero-setup mode (npm start: embedded database in $E2E_EMBEDDED_DATA_DIR, web on port $E2E_ZERO_SETUP_PORT; $node)"
  rm -rf "$E2E_EMBEDDED_DATA_DIR" "$E2E_EMBEDDED_DATA_DIR.lock"
  npx playwright test --config e2e/playwright.zero-setup.config.ts
fi

if runs bench; then
  echo "==> Benchmark smoke run (tiny sizes: proves the benchmark still works; npm run bench measures; database $bench_database, report in $bench_out; $node)"
  npm run --silent bench -- --smoke --database "$bench_database" --out "$bench_out"
fi
