import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedDatabaseInUseError, lockEmbeddedFolder } from './embedded-lock';

const folder = () => join(mkdtempSync(join(tmpdir(), 'hindsight-lock-')), 'pglite');

describe('the embedded database lock', () => {
  it('refuses a second opener and names the process that holds the folder', () => {
    const data = folder();
    const release = lockEmbeddedFolder(data);
    try {
      expect(() => lockEmbeddedFolder(data)).toThrow(EmbeddedDatabaseInUseError);
      expect(() => lockEmbeddedFolder(data)).toThrow(new RegExp(`in use by process ${process.pid}`));
    } finally {
      release();
    }
  });

  it('can be taken again once released', () => {
    const data = folder();
    lockEmbeddedFolder(data)();
    const release = lockEmbeddedFolder(data);
    release();
  });

  it('replaces a lock left by a process that no longer runs', () => {
    const data = folder();
    // A process that has exited: its pid is free (or reused, which this test cannot rule out, so it waits).
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(
      `${data}.lock`,
      JSON.stringify({ pid: Number(exited), host: hostname(), command: 'crashed', since: '2026-01-01T00:00:00Z' }),
    );
    const release = lockEmbeddedFolder(data);
    release();
  });
});
