import { connect } from '../client';
import { createEventStore } from '../event-store';
import { shopEventSchemas } from '@/domain';
import { projections } from '@/projections';
import { textSearchProjection } from '@/projections/text-search/projection';
import { pino } from 'pino';
import { runConsumers } from './engine';
import { ledgerConsumer } from './lease-ledger.fixture';

/**
 * One of the workers of leases-fault.int.spec.ts: every PostgreSQL read model of the shop and a ledger that
 * counts each event it applies, under leases with the default timings, until SIGTERM (a graceful stop that
 * releases its leases) or SIGKILL (none: its leases expire). Run as
 * `node --import tsx db/consumers/lease-worker.fixture.ts <database url> <instance id>`.
 */
const [url, instanceId] = process.argv.slice(2);
if (!url || !instanceId) throw new Error('usage: lease-worker.fixture.ts <database url> <instance id>');
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
const db = connect(url, { max: 6, applicationName: 'hindsight-lease-worker' });
const store = createEventStore(db.sql, { schemas: shopEventSchemas });
await runConsumers({ orm: db.orm, store }, [...projections, textSearchProjection, ledgerConsumer], {
  batchSize: 50,
  pollMs: 200,
  logger: pino({ level: process.env.LEASE_WORKER_LOG ?? 'silent' }),
  signal: controller.signal,
  lease: { instanceId },
});
await store.settled();
await db.close();
