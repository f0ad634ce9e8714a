import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { zeroSetupDataDir } from './run-mode';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Only one process may open the embedded database's folder (db/embedded-lock.ts). A second shop started on
 * the folder of the one under test, as someone who runs `npm start` twice would, must exit at start-up,
 * non-zero, naming the first, rather than stay up answering 500s; and the first shop must not notice.
 */
test('a second shop on the same embedded folder exits at once, naming the one that holds it @zero-setup', async ({ storefront }) => {
  const second = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--port', String(await freePort())], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ELASTICSEARCH_URL: '', NATS_URL: '', PAYMENTS_URL: '', SMTP_URL: '', EMBEDDED_DATA_DIR: zeroSetupDataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  second.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  second.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(second, 'exit')) as [number | null];

  expect(code, output).toBe(1);
  expect(output).toMatch(/The embedded database in .* is in use by process \d+/);
  expect(output).toContain('set DATABASE_URL');

  await storefront.open();
});

/** A port nothing listens on now, so two runs of the suite side by side do not meet on a fixed one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}
