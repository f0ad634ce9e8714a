import { describe, expect, it } from 'vitest';
import { ensureCheckpoint } from '@/db/event-store';
import { expectTRPCError, useRouterHarness } from '@/server/testing';

/** Pause and resume from the back office's status page: staff only, shown in the consumers table. */
const harness = useRouterHarness();
const as = (customerId: string | null) => harness.request({ customerId, cartId: null }).api;

describe('pausing a consumer from the back office', () => {
  it('is for staff only', async () => {
    await expectTRPCError(as(null).operations.pauseConsumer({ consumer: 'carts' }), 'UNAUTHORIZED');
    await expectTRPCError(as(harness.customers.maya).operations.pauseConsumer({ consumer: 'carts' }), 'FORBIDDEN');
    await expectTRPCError(as(harness.customers.maya).operations.resumeConsumer({ consumer: 'carts' }), 'FORBIDDEN');
  });

  it('pauses and resumes, and the status says who paused it', async () => {
    const staff = as(harness.customers.staff);
    const consumer = 'operations_pause_spec';
    await ensureCheckpoint(harness.db.orm, consumer);
    expect(await staff.operations.pauseConsumer({ consumer })).toEqual({ paused: true });
    const row = (await staff.operations.status()).consumers.find((status) => status.consumer === consumer);
    expect(row?.pausedBy).toBe(`staff:${harness.customers.staff}`);
    expect(row?.pausedAt).toBeInstanceOf(Date);
    expect(await staff.operations.resumeConsumer({ consumer })).toEqual({ resumed: true });
    expect((await staff.operations.status()).consumers.find((status) => status.consumer === consumer)?.pausedAt).toBeNull();
    expect(await staff.operations.pauseConsumer({ consumer: 'no_such_consumer' })).toEqual({ paused: false });
  });
});
