import { describe, expect, it } from 'vitest';
import { recordLagSamples } from '@/db/consumers';
import { ensureCheckpoint, recordConsumerFailure } from '@/db/event-store';
import { seedStaff } from '@/server/seed-data';
import { expectTRPCError, useRouterHarness } from '@/server/testing';

/** The consumers on the back office's status page: pause and resume, and what each shows. Staff only. */
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
    expect(row?.pausedBy).toBe(seedStaff.name);
    expect(row?.pausedAt).toBeInstanceOf(Date);
    expect(await staff.operations.resumeConsumer({ consumer })).toEqual({ resumed: true });
    expect((await staff.operations.status()).consumers.find((status) => status.consumer === consumer)?.pausedAt).toBeNull();
    expect(await staff.operations.pauseConsumer({ consumer: 'no_such_consumer' })).toEqual({ paused: false });
  });
});

describe('every consumer at a glance', () => {
  it('shows throughput, failed attempts and the lag of the last hour, for staff only', async () => {
    const staff = as(harness.customers.staff);
    const consumer = 'operations_glance_spec';
    await ensureCheckpoint(harness.db.orm, consumer);
    await recordConsumerFailure(harness.db.orm, consumer, 'Error: the index is read-only');
    await recordConsumerFailure(harness.db.orm, consumer, 'Error: the index is read-only');
    await recordLagSamples(harness.db.orm, [consumer]);

    const row = (await staff.operations.status()).consumers.find((status) => status.consumer === consumer);
    expect(row).toMatchObject({ failingSince: expect.any(Date), failedAttempts: 2, lastError: 'Error: the index is read-only' });
    // One sample, taken a moment ago: too young to measure a rate from.
    expect(row?.eventsPerSecond).toBeNull();

    const all = await staff.operations.lagHistory({});
    expect(all.find((history) => history.consumer === consumer)?.points).toEqual([
      { at: expect.any(Date), behindEvents: expect.any(Number), lagSeconds: expect.any(Number), eventsPerSecond: null },
    ]);
    expect((await staff.operations.lagHistory({ consumer })).map((history) => history.consumer)).toEqual([consumer]);
    expect(await staff.operations.lagHistory({ consumer: 'no_such_consumer' })).toEqual([]);

    await expectTRPCError(staff.operations.lagHistory({ consumer: ' ' }), 'BAD_REQUEST');
    await expectTRPCError(as(harness.customers.maya).operations.lagHistory({}), 'FORBIDDEN');
  });
});
