import { lockEmbeddedFolder } from './embedded-lock';

/**
 * Another process that opens the embedded database's folder: it takes the lock and says "locked". `hold`
 * keeps it until the process is killed; `exit` lets the process end by itself, which must release it. Run
 * by embedded-lock.unit.spec.ts as `node --import tsx db/embedded-lock.fixture.ts <folder> hold|exit`.
 */
const [folder, mode] = process.argv.slice(2);
if (!folder || (mode !== 'hold' && mode !== 'exit')) throw new Error('usage: embedded-lock.fixture.ts <folder> hold|exit');
await lockEmbeddedFolder(folder);
process.stdout.write('locked\n');
// A timer keeps the process alive: the lock's socket server itself does not (unref'd).
if (mode === 'hold') setInterval(() => {}, 60_000);
