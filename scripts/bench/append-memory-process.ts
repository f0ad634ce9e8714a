import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connect } from '../../db/client';
import { createEventStore } from '../../db/event-store';
import { benchEvent, benchMetadata, benchSchemas } from './bench-events';

/**
 * The appending process of the bench's memory rows (append-memory.ts), standing in for the web server: the
 * event store over a pool of the web server's size (server/db.ts), `writers` writers each appending one event
 * at a time to a stream of its own at its known version, as every command after a stream's first does,
 * `appends` in all. It prints a JSON line every `every` appends, so the bench can sample this process's memory
 * and its PostgreSQL backends' as the run goes, and a last line with its rate.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    appends: { type: 'string' },
    writers: { type: 'string' },
    pool: { type: 'string' },
    every: { type: 'string' },
    name: { type: 'string' },
  },
});
const [appends, writers, pool, every] = [values.appends, values.writers, values.pool, values.every].map(Number) as [number, number, number, number];
if (!values.url || !values.name || ![appends, writers, pool, every].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('usage: append-memory-process.ts --url URL --name APPLICATION_NAME --appends N --writers N --pool N --every N');
}

const db = connect(values.url, { max: pool, applicationName: values.name });
const store = createEventStore(db.sql, { schemas: benchSchemas });
const run = randomUUID();
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

let claimed = 0;
let appended = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: writers }, async (_, writer) => {
    const streamId = `bench-${run}memory${writer}`;
    for (let version = 0; claimed < appends; version++) {
      claimed++;
      await store.append(streamId, [benchEvent(version)], { expectedVersion: version === 0 ? 'no_stream' : version, metadata: benchMetadata });
      appended++;
      if (appended % every === 0) print({ appended });
    }
  }),
);
const elapsedMs = performance.now() - started;
await store.settled();
await db.close();
print({ done: true, eventsPerSecond: appends / (elapsedMs / 1000) });
