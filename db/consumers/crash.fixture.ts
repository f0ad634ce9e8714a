import { connect } from '../client';
import { createEventStore } from '../event-store';
import { testEventSchemas } from '../testing';
import { catchUp } from './catch-up';
import { countingConsumer } from './testing';

/**
 * A process that dies in the middle of a batch: it applies a batch of the counting consumer and is killed
 * (SIGKILL, no clean-up of any kind) after the batch's writes and before its transaction commits. Run by
 * engine.int.spec.ts as `node --import tsx db/consumers/crash.fixture.ts <database url> <consumer>`.
 */
const [url, name] = process.argv.slice(2);
if (!url || !name) throw new Error('usage: crash.fixture.ts <database url> <consumer>');
const db = connect(url, { max: 2, applicationName: 'hindsight-crash-fixture' });
const consumer = countingConsumer(name, { afterWrite: async () => void process.kill(process.pid, 'SIGKILL') });
await catchUp({ orm: db.orm, store: createEventStore(db.sql, { schemas: testEventSchemas }) }, consumer, { batchSize: 1_000 });
throw new Error('the batch should never have committed');
