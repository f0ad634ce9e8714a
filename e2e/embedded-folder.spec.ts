import { fileURLToPath } from 'node:url';
import { startZeroSetupShop } from '../scripts/zero-setup-shop';
import { expect, test } from './fixtures';
import { zeroSetupDataDir } from './run-mode';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Only one process may open the embedded database's folder (db/embedded-lock.ts). A second shop started on
 * the folder of the one under test, as someone who runs `npm start` twice would, must exit at start-up,
 * non-zero, naming the first, rather than stay up answering 500s; and the first shop must not notice.
 */
test('a second shop on the same embedded folder exits at once, naming the one that holds it @zero-setup', async ({ storefront }) => {
  const second = await startZeroSetupShop({ root, dataDir: zeroSetupDataDir, env: { LOG_LEVEL: 'info' } });
  // Well before the test's own timeout, which would say only that time ran out.
  const [code] = await second.exitWithin(20_000);

  expect(code, second.output()).toBe(1);
  expect(second.output()).toMatch(/The embedded database in .* is in use by process \d+/);
  expect(second.output()).toContain('set DATABASE_URL');

  await storefront.open();
});
