import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { horizonWarnMs } from '@/db/event-store/horizon';
import { testEngine } from '@/db/testing';
import { expectTRPCError, useRouterHarness } from '@/server/testing';

const harness = useRouterHarness();
const as = (customerId: string | null) => harness.request({ customerId, cartId: null }).api;

describe('operations.horizon', () => {
  it('is for staff only', async () => {
    await expectTRPCError(as(null).operations.horizon(), 'UNAUTHORIZED', 'Please sign in first.');
    await expectTRPCError(as(harness.customers.maya).operations.horizon(), 'FORBIDDEN', 'This is for staff only.');
  });

  it.skipIf(testEngine === 'pglite')('names an open transaction that appended, and judges it by the console\'s threshold', async () => {
    const other = postgres(harness.db.url!, { max: 1, onnotice: () => {}, connection: { application_name: 'horizon-router-spec' } });
    const connection = await other.reserve();
    try {
      await connection`begin`;
      await connection.unsafe(
        `insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
         values ($1, $2, 1, 'Counted', '{}'::jsonb, $3::text::jsonb)`,
        [randomUUID(), `test-${randomUUID()}`, JSON.stringify({ correlationId: 'c', causationId: 'k', actor: 'test', source: 'test' })],
      );
      const horizon = await as(harness.customers.staff).operations.horizon();
      expect(horizon.warnMs).toBe(horizonWarnMs);
      expect(horizon.warning).toBe(false);
      expect(horizon.holders.find((holder) => holder.applicationName === 'horizon-router-spec')?.statement).toMatch(/insert into events/);
    } finally {
      await connection.unsafe('rollback');
      connection.release();
      await other.end();
    }
  });
});
