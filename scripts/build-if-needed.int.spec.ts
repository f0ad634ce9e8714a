import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const scripts = ['build-if-needed.sh', 'build.sh', 'build-sources.sh'];

/** What `next build` bundles (read off a build's source maps) and its configuration: each must rebuild. */
const inputs = [
  'app/page.tsx',
  'instrumentation.ts',
  'common/order-status.ts',
  'contracts/shipment.ts',
  'db/client.ts',
  'db/migrations/0000_init.sql',
  'domain/order/decide.ts',
  'integration/relay.ts',
  'processes/fulfillment/runtime.ts',
  'projections/orders/apply.ts',
  'reactors/mail.ts',
  'server/env.ts',
  'services/warehouse/main.ts',
  'next.config.js',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  '.env.local',
];

/** What no build reads, written by tests, tools and the build itself: none may rebuild. */
const nonInputs = [
  'server/env.unit.spec.ts',
  'db/client.int.spec.ts',
  'e2e/checkout.spec.ts',
  'scripts/seed.ts',
  'docs/event-store.md',
  'README.md',
  'vitest.config.ts',
  'drizzle.config.ts',
  'next-env.d.ts',
  'tsconfig.tsbuildinfo',
  '.dependency-cruiser.cjs',
  '.data/pglite/PG_VERSION',
  'node_modules/next/package.json',
];

/**
 * A project of the right shape in a folder of its own, with the real scripts, and beside it a stand-in `npx`
 * first on PATH whose `next build` writes a new BUILD_ID and counts itself (NEXT_BUILD_FAILS makes it fail).
 */
let project: string;
let tools: string;
let builds: string;

function write(path: string, content: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}

function buildIfNeeded(env: Record<string, string> = {}) {
  const run = spawnSync('bash', ['scripts/build-if-needed.sh'], {
    cwd: project,
    env: { ...process.env, PATH: `${tools}:${process.env.PATH}`, ...env },
    encoding: 'utf8',
  });
  return { ...run, builds: readFileSync(builds, 'utf8').split('\n').filter(Boolean).length };
}

/** Builds counted so far, after one more check. */
const buildsAfterCheck = () => buildIfNeeded().builds;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'hindsight-build-check-'));
  tools = mkdtempSync(join(tmpdir(), 'hindsight-build-check-tools-'));
  builds = join(tools, 'builds.log');
  writeFileSync(builds, '');
  for (const script of scripts) write(`scripts/${script}`, readFileSync(join(root, 'scripts', script), 'utf8'));
  for (const path of [...inputs, ...nonInputs]) write(path, `// ${path}\n`);
  writeFileSync(
    join(tools, 'npx'),
    [
      '#!/usr/bin/env bash',
      '[ "$*" = "next build" ] || { echo "unexpected npx $*" >&2; exit 2; }',
      `echo build >> '${builds}'`,
      '[ -z "${NEXT_BUILD_FAILS:-}" ] || { echo "Type error: in app/page.tsx"; exit 1; }',
      'mkdir -p .next && head -c 12 /dev/urandom | base64 | tr -d "/+=" > .next/BUILD_ID',
      // Like the real one, a build writes next-env.d.ts: that alone must not make the next check rebuild.
      'echo "/// <reference types=\\"next\\" />" > next-env.d.ts',
    ].join('\n'),
  );
  chmodSync(join(tools, 'npx'), 0o755);
});

afterEach(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(tools, { recursive: true, force: true });
});

describe('scripts/build-if-needed.sh', () => {
  it('builds when there is no build, then not again while nothing changed', () => {
    const first = buildIfNeeded();
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.builds).toBe(1);
    expect(first.stdout).toContain('building the web app');
    expect(readFileSync(join(project, '.next/hindsight-sources.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64} \S+\n$/);

    const second = buildIfNeeded();
    expect(second.status).toBe(0);
    expect(second.builds).toBe(1);
    expect(second.stdout).toBe('');
  });

  it('does not rebuild when only modification times move, as after `npm install` or a checkout', () => {
    buildIfNeeded();
    const later = new Date(Date.now() + 3_600_000);
    for (const path of [...inputs, ...nonInputs]) utimesSync(join(project, path), later, later);
    expect(buildsAfterCheck()).toBe(1);
  });

  it('rebuilds once for a change in any file the build reads', () => {
    buildIfNeeded();
    inputs.forEach((path, index) => {
      appendFileSync(join(project, path), 'changed\n');
      expect(buildsAfterCheck(), path).toBe(index + 2);
    });
    expect(buildsAfterCheck()).toBe(inputs.length + 1);
  });

  it('rebuilds when an input is added, removed or renamed', () => {
    buildIfNeeded();
    write('processes/payments/step.ts', 'new\n');
    expect(buildsAfterCheck()).toBe(2);
    renameSync(join(project, 'reactors/mail.ts'), join(project, 'reactors/mailer.ts'));
    expect(buildsAfterCheck()).toBe(3);
    rmSync(join(project, 'reactors/mailer.ts'));
    expect(buildsAfterCheck()).toBe(4);
  });

  it('rebuilds for a new top-level folder, which the pages might import', () => {
    buildIfNeeded();
    write('lib/money.ts', 'export {};\n');
    expect(buildsAfterCheck()).toBe(2);
  });

  it('does not rebuild for a change in tests, docs, scripts, tools or what builds write', () => {
    buildIfNeeded();
    for (const path of nonInputs) {
      appendFileSync(join(project, path), 'changed\n');
      expect(buildsAfterCheck(), path).toBe(1);
    }
  });

  it('rebuilds after a bare `next build`, whose build it has no record of', () => {
    buildIfNeeded();
    execFileSync(join(tools, 'npx'), ['next', 'build'], { cwd: project });
    expect(buildsAfterCheck()).toBe(3);
  });

  it('shows the build log and fails when the build fails, and tries again next time', () => {
    const failed = buildIfNeeded({ NEXT_BUILD_FAILS: '1' });
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain('Type error: in app/page.tsx');
    expect(buildsAfterCheck()).toBe(2);
  });
});

describe('scripts/build-sources.sh', () => {
  it('hashes this project in well under a second', () => {
    const started = performance.now();
    const hash = execFileSync('bash', [join(root, 'scripts/build-sources.sh')], { encoding: 'utf8' });
    expect(hash).toMatch(/^[0-9a-f]{64}\n$/);
    // About 0.1 s on a 2-core machine; the bound only catches a folder like node_modules creeping in.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
