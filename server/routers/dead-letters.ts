import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { countDeadLetters, listDeadLetters } from '@/db/dead-letters';
import { retryDeadLetter, skipDeadLetter } from '../dead-letters';
import { staffCommandProcedure, staffProcedure } from '../trpc/init';

const id = z.int({ error: 'That is not a dead letter.' }).positive({ error: 'That is not a dead letter.' }).max(2_147_483_647, 'That is not a dead letter.');

/**
 * The dead letters of the back office (docs/operations.md): what external consumers could not deliver after
 * their retries, and read past. Staff only. Retry and Skip are staff commands, so the client sends an
 * idempotency key like every back-office action; they append no event (a dead letter is the engine's state,
 * not the shop's), and each resolves the dead letter at most once, with the staff member's name on it.
 */
export const deadLettersRouter = {
  /** The open ones newest first, or the resolved ones, with each consumer's counts. */
  list: staffProcedure
    .input(z.object({ show: z.enum(['open', 'resolved'], { error: 'Show open or resolved dead letters.' }).default('open') }))
    .query(async ({ ctx, input }) => {
      const [letters, counts] = await Promise.all([listDeadLetters(ctx.db.orm, input.show), countDeadLetters(ctx.db.orm)]);
      return { show: input.show, letters, counts };
    }),

  /** Delivers it again: `retried`, or still `open` with the new error. */
  retry: staffCommandProcedure
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => retryDeadLetter(ctx, input.id, `staff:${ctx.staff.customerId}`)),

  /** Gives up on it: nothing is delivered; it is kept, marked skipped. */
  skip: staffCommandProcedure.input(z.object({ id })).mutation(({ ctx, input }) => skipDeadLetter(ctx, input.id, `staff:${ctx.staff.customerId}`)),
} satisfies TRPCRouterRecord;
