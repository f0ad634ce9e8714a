import { pino } from 'pino';
import { natsTransport, type IntegrationTransport } from '@/contracts';
import { connect } from '@/db/client';
import { runConsumers } from '@/db/consumers';
import { createEventStore } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { integrationRelay } from './relay';

/**
 * The relay as the worker runs it (the consumer engine, `runConsumers`, with the relay alone), until it is
 * killed: it never stops by itself. Each acknowledged publish is reported on stdout as a JSON line with how
 * many of its messages JetStream took as repeats, written synchronously (stdout is a pipe), so the line is out
 * before any SIGKILL. With `dieAfterBatch` n > 0 it kills itself (SIGKILL, no clean-up) right after its n-th
 * acknowledged publish, before the engine moves the checkpoint: the crash window, hit on purpose.
 * Run by relay-crash.int.spec.ts as
 * `node --import tsx integration/relay.fixture.ts <database url> <nats url> <stream> <prefix> <dieAfterBatch>`.
 */
const [url, servers, stream, prefix, dieAfterText = '0'] = process.argv.slice(2);
if (!url || !servers || !stream || !prefix) {
  throw new Error('usage: relay.fixture.ts <database url> <nats url> <stream> <prefix> <dieAfterBatch>');
}
const dieAfterBatch = Number(dieAfterText);
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const db = connect(url, { max: 4, applicationName: 'hindsight-relay-fixture' });
const store = createEventStore(db.sql, { schemas: shopEventSchemas });
const transport = natsTransport({ servers, stream, prefix, name: 'hindsight-relay-fixture' });

function reporting(inner: IntegrationTransport): IntegrationTransport {
  let batches = 0;
  return {
    ...inner,
    async publish(messages) {
      const receipts = await inner.publish(messages);
      batches++;
      report({ msg: 'published', messages: receipts.length, duplicates: receipts.filter((receipt) => receipt.duplicate).length });
      if (batches === dieAfterBatch) {
        report({ msg: 'dying after a publish, before its checkpoint' });
        process.kill(process.pid, 'SIGKILL');
      }
      return receipts;
    },
  };
}

report({ msg: 'relay running', pid: process.pid });
// Small batches: more of them, so more moments between a publish and its checkpoint for a kill to land in.
await runConsumers({ orm: db.orm, store }, [integrationRelay(reporting(transport))], {
  batchSize: 20,
  pollMs: 100,
  logger: pino({ level: 'warn' }, pino.destination(2)),
  signal: new AbortController().signal,
});
