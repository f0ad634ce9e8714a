import type { IntegrationTransport } from '@/contracts';
import type { Orm } from '@/db/client';
import { findDeadLetter, recordFailedRetry, resolveDeadLetter, type DeadLetter } from '@/db/dead-letters';
import type { EventStore } from '@/db/event-store';
import { IllegalStateError, NotFoundError } from '@/domain';
import { republishEvent } from '@/integration/republish';
import type { SearchBackend } from '@/projections';

type DeadLetterContext = {
  readonly db: { readonly orm: Orm };
  readonly store: EventStore;
  readonly search: Pick<SearchBackend, 'reindex'>;
  readonly broker: () => IntegrationTransport | null;
};

/** What Retry did: delivered (`retried`), or still open with the new error. */
export type RetryResult = { readonly status: 'retried' } | { readonly status: 'open'; readonly error: string };

/**
 * Retries a dead letter the way its consumer delivers: a document folded again from the log and written
 * (`reindexDocument`), a message published again (`republishEvent`). Delivered, it is resolved as `retried`
 * by `by`; refused again, it stays open with the new error and one more attempt. Only an open one is retried:
 * two staff clicking at once deliver twice, which both deliveries absorb, and resolve it once.
 */
export async function retryDeadLetter(ctx: DeadLetterContext, id: number, by: string): Promise<RetryResult> {
  const letter = await openLetter(ctx.db.orm, id);
  const outcome: { ok: true } | { ok: false; error: string; detail?: string } =
    letter.kind === 'document'
      ? await ctx.search.reindex(ctx.store, letter.consumer, letter)
      : await republishThrough(ctx.broker(), ctx.store, letter);
  if (outcome.ok) {
    if (!(await resolveDeadLetter(ctx.db.orm, id, 'retried', by))) throw alreadyResolved(await findDeadLetter(ctx.db.orm, id), id);
    return { status: 'retried' };
  }
  await recordFailedRetry(ctx.db.orm, id, { error: outcome.error, detail: outcome.detail ?? null });
  return { status: 'open', error: outcome.error };
}

/** Gives up on a dead letter: resolved as `skipped` by `by`, kept for the audit; nothing is delivered. */
export async function skipDeadLetter(ctx: Pick<DeadLetterContext, 'db'>, id: number, by: string): Promise<{ status: 'skipped' }> {
  await openLetter(ctx.db.orm, id);
  if (!(await resolveDeadLetter(ctx.db.orm, id, 'skipped', by))) throw alreadyResolved(await findDeadLetter(ctx.db.orm, id), id);
  return { status: 'skipped' };
}

function republishThrough(broker: IntegrationTransport | null, store: EventStore, letter: DeadLetter) {
  if (!broker) {
    return Promise.resolve({ ok: false as const, error: 'This server has no broker to publish to (no NATS_URL): retry it from a server that has.' });
  }
  return republishEvent(broker, store, letter);
}

async function openLetter(db: Orm, id: number): Promise<DeadLetter> {
  const letter = await findDeadLetter(db, id);
  if (!letter) throw new NotFoundError(`There is no dead letter ${id}.`);
  if (letter.status !== 'open') throw alreadyResolved(letter, id);
  return letter;
}

function alreadyResolved(letter: DeadLetter | null, id: number): Error {
  if (!letter) return new NotFoundError(`There is no dead letter ${id}.`);
  return new IllegalStateError(`Dead letter ${id} was already ${letter.status} by ${letter.resolvedBy ?? 'someone'}.`);
}
