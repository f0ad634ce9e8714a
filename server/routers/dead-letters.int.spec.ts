import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordDeadLetters } from '@/db/dead-letters';
import { expectTRPCError, useRouterHarness } from '@/server/testing';

/**
 * The back office's dead letters through the router: staff only, the list and its filter, and Retry and Skip
 * with the answers the page shows. Retries that deliver are the search and relay specs' (server/dead-letters-
 * search.int.spec.ts, integration/dead-letters.int.spec.ts); here search is PostgreSQL full text, which has
 * no dead letters, so a document's retry fails and says why.
 */
const harness = useRouterHarness();
const as = (customerId: string | null) => harness.request({ customerId, cartId: null }).api;
const key = () => ({ idempotencyKey: randomUUID() });

/** A dead letter as the search consumer records it, in the transaction of its checkpoint. */
async function recordDocumentRefused(target: string): Promise<number> {
  const eventId = randomUUID();
  await harness.db.orm.transaction((tx) =>
    recordDeadLetters(tx, [
      {
        consumer: 'product_search_v1',
        kind: 'document',
        target,
        eventId,
        eventType: 'ProductListed',
        streamId: `product-${target}`,
        streamVersion: 1,
        globalPosition: 1,
        error: 'strict_dynamic_mapping_exception (400)',
        detail: '{"type":"strict_dynamic_mapping_exception"}',
      },
    ]),
  );
  const { letters } = await as(harness.customers.staff).deadLetters.list({ show: 'open' });
  return letters.find((letter) => letter.eventId === eventId)!.id;
}

describe('dead letters in the back office', () => {
  it('are for staff only', async () => {
    await expectTRPCError(as(null).deadLetters.list({}), 'UNAUTHORIZED');
    await expectTRPCError(as(harness.customers.maya).deadLetters.list({}), 'FORBIDDEN');
    await expectTRPCError(as(harness.customers.maya).deadLetters.retry({ id: 1, ...key() }), 'FORBIDDEN');
    await expectTRPCError(as(harness.customers.maya).deadLetters.skip({ id: 1, ...key() }), 'FORBIDDEN');
  });

  it('lists the open ones, keeps a failed retry open with why, and files a skipped one under resolved', async () => {
    const staff = as(harness.customers.staff);
    const id = await recordDocumentRefused(`router-${randomUUID().slice(0, 8)}`);

    expect(await staff.deadLetters.retry({ id, ...key() })).toEqual({
      status: 'open',
      error: 'This server runs no search read model named product_search_v1, so it cannot write its document again.',
    });
    const open = await staff.deadLetters.list({ show: 'open' });
    expect(open.letters.find((letter) => letter.id === id)).toMatchObject({ status: 'open', attempts: 2 });
    expect(open.counts.find((row) => row.consumer === 'product_search_v1')?.open).toBeGreaterThanOrEqual(1);

    expect(await staff.deadLetters.skip({ id, ...key() })).toEqual({ status: 'skipped' });
    expect((await staff.deadLetters.list({ show: 'open' })).letters.map((letter) => letter.id)).not.toContain(id);
    expect((await staff.deadLetters.list({ show: 'resolved' })).letters.find((letter) => letter.id === id)).toMatchObject({
      status: 'skipped',
      resolvedBy: `staff:${harness.customers.staff}`,
    });
    // The status page counts only the open ones: this file's only dead letter is skipped now.
    expect((await staff.operations.status()).openDeadLetters).toBe(0);
  });

  it('answers a resolved, unknown or malformed dead letter with a 4xx that says what is wrong', async () => {
    const staff = as(harness.customers.staff);
    const id = await recordDocumentRefused(`router-${randomUUID().slice(0, 8)}`);
    await staff.deadLetters.skip({ id, ...key() });
    await expectTRPCError(staff.deadLetters.skip({ id, ...key() }), 'CONFLICT', `Dead letter ${id} was already skipped by staff:${harness.customers.staff}.`);
    await expectTRPCError(staff.deadLetters.retry({ id, ...key() }), 'CONFLICT');
    await expectTRPCError(staff.deadLetters.retry({ id: 2_000_000_000, ...key() }), 'NOT_FOUND', 'There is no dead letter 2000000000.');
    await expectTRPCError(staff.deadLetters.retry({ id: 'one' as unknown as number, ...key() }), 'BAD_REQUEST');
    await expectTRPCError(staff.deadLetters.skip({ id: 1.5, ...key() }), 'BAD_REQUEST');
    await expectTRPCError(staff.deadLetters.list({ show: 'all' as 'open' }), 'BAD_REQUEST');
  });
});
