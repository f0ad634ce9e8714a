import { connect } from '@/db/client';
import { createEventStore, type EventStore } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { createPaymentGatewayClient } from '@/services/payment-gateway/client';
import { quickPolicy, settleFulfillment } from '../testing';

/**
 * A worker that dies at a step boundary: it runs the consumers an order passes through (as processes/testing.ts
 * `settle` does, timers firing as if a day had passed) over the store, and kills itself with SIGKILL (no
 * clean-up of any kind) at its `crashAt`-th append: just `before` it is sent (the gateway may have charged,
 * nothing recorded it) or just `after` it committed (the effect is in the log, the checkpoint has not moved).
 * `crashAt` 0 never crashes. Exits 0 once nothing more happens. Run by crash.int.spec.ts as
 * `node --import tsx processes/fulfillment/crash.fixture.ts <database url> <gateway url> <crashAt> <before|after> [fire|hold]`.
 */
const [url, gatewayUrl, crashAtText, when, timers = 'fire'] = process.argv.slice(2);
if (!url || !gatewayUrl || !crashAtText || (when !== 'before' && when !== 'after')) {
  throw new Error('usage: crash.fixture.ts <database url> <gateway url> <crashAt> <before|after> [fire|hold]');
}
const crashAt = Number(crashAtText);
const db = connect(url, { max: 20, applicationName: 'hindsight-crash-fixture' });
const store = crashingAt(createEventStore(db.sql, { schemas: shopEventSchemas }), crashAt, when);
// Long enough for a busy machine: the spec pays with the approving card only, and expects each order to be
// charged; at 250 ms, two suites side by side on two cores made a charge time out and the order go another way.
const payments = createPaymentGatewayClient({ baseUrl: gatewayUrl, timeoutMs: 5_000 });
await settleFulfillment({ orm: db.orm, store, sql: db.sql }, payments, quickPolicy, {
  // `hold`: no timer fires, so a paid order waits for its handover (the spec cancels it there).
  timersDueBy: timers === 'hold' ? new Date(0) : new Date(Date.now() + 24 * 60 * 60_000),
});
await store.settled();
await db.close();

/** The store, counting appends and dying at the chosen one. */
function crashingAt(store: EventStore, at: number, moment: 'before' | 'after'): EventStore {
  let appends = 0;
  const die = () => void process.kill(process.pid, 'SIGKILL');
  const counted =
    <A extends unknown[], R>(append: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const n = ++appends;
      if (n === at && moment === 'before') die();
      const result = await append(...args);
      if (n === at && moment === 'after') die();
      return result;
    };
  return { ...store, append: counted(store.append), appendToStreams: counted(store.appendToStreams) };
}
