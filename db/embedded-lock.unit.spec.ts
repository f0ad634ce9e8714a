import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseInUseError, lockEmbeddedFolder } from './embedded-lock';

const root = fileURLToPath(new URL('..', import.meta.url));
const folder = () => join(mkdtempSync(join(tmpdir(), 'hindsight-lock-')), 'pglite');
const socketOf = (data: string) => `${data}.lock.sock`;

/** Every child a test starts, killed after it whatever happened. */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Another process opening the folder (embedded-lock.fixture.ts): resolves once it holds the lock, or with how it failed. */
async function otherProcess(data: string, mode: 'hold' | 'exit'): Promise<{ child: ChildProcess; locked: boolean; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/embedded-lock.fixture.ts', data, mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('locked\n')) resolve({ child, locked: true, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => resolve({ child, locked: output.includes('locked\n'), output }));
  });
}

/** A holder killed with SIGKILL, which cleans nothing up: its socket file is left behind. */
async function killedHolder(data: string): Promise<void> {
  const { child, locked } = await otherProcess(data, 'hold');
  expect(locked).toBe(true);
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  expect(existsSync(socketOf(data))).toBe(true);
}

describe('the embedded database lock', () => {
  it('refuses a second opener in the same process and names it', async () => {
    const data = folder();
    const release = await lockEmbeddedFolder(data);
    try {
      await expect(lockEmbeddedFolder(data)).rejects.toThrow(EmbeddedDatabaseInUseError);
      await expect(lockEmbeddedFolder(data)).rejects.toThrow(new RegExp(`in use by process ${process.pid} \\(`));
    } finally {
      release();
    }
  });

  it('refuses an opener while another live process holds the folder, naming that process', async () => {
    const data = folder();
    const { child, locked } = await otherProcess(data, 'hold');
    expect(locked).toBe(true);
    const refusal = lockEmbeddedFolder(data);
    await expect(refusal).rejects.toThrow(EmbeddedDatabaseInUseError);
    await expect(refusal).rejects.toThrow(new RegExp(`in use by process ${child.pid} \\([^)]*embedded-lock\\.fixture\\.ts`));
  });

  it('is taken at once when its holder was killed', async () => {
    const data = folder();
    await killedHolder(data);
    const release = await lockEmbeddedFolder(data);
    release();
  });

  it('trusts no process id or host name: a lock file naming a live process on another host does not block', async () => {
    const data = folder();
    // What a killed holder of an earlier version left, its pid since taken by an unrelated live process (this
    // test's parent) and its host name gone with a recreated container.
    writeFileSync(
      `${data}.lock`,
      JSON.stringify({ pid: process.ppid, host: 'a-container-since-recreated', command: 'killed', since: '2026-01-01T00:00:00Z' }),
    );
    await killedHolder(data);
    const release = await lockEmbeddedFolder(data);
    release();
  });

  it('is freed by its release, which removes the socket file', async () => {
    const data = folder();
    const release = await lockEmbeddedFolder(data);
    expect(existsSync(socketOf(data))).toBe(true);
    release();
    release();
    expect(existsSync(socketOf(data))).toBe(false);
    const { locked } = await otherProcess(data, 'exit');
    expect(locked).toBe(true);
  });

  it('keeps no process alive, and is freed when its process ends', async () => {
    const data = folder();
    const { child, locked } = await otherProcess(data, 'exit');
    expect(locked).toBe(true);
    if (child.exitCode === null) await once(child, 'exit');
    expect(child.exitCode).toBe(0);
    expect(existsSync(socketOf(data))).toBe(false);
    (await lockEmbeddedFolder(data))();
  });

  it('goes to exactly one of several processes racing for a dead holder’s folder', async () => {
    const data = folder();
    await killedHolder(data);
    const racers = await Promise.all([otherProcess(data, 'hold'), otherProcess(data, 'hold'), otherProcess(data, 'hold')]);
    expect(racers.filter((racer) => racer.locked)).toHaveLength(1);
    for (const loser of racers.filter((racer) => !racer.locked)) expect(loser.output).toMatch(/EmbeddedDatabaseInUseError/);
  });

  it('goes to exactly one of several openers in one process racing for a dead holder’s folder', async () => {
    const data = folder();
    await killedHolder(data);
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => lockEmbeddedFolder(data)));
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(EmbeddedDatabaseInUseError);
    won[0]!.value();
  });
});
