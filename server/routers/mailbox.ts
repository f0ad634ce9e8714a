import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listMailbox, readMailboxMessage } from '@/reactors/notifications/query';
import { NotFoundError } from '@/domain';
import { publicProcedure } from '../trpc/init';

/**
 * The development mailbox: the mail the notifications reactor stores when no SMTP server is configured
 * (SMTP_URL unset). Development only, like the demo customer picker: it shows every customer's mail.
 */
export const mailboxRouter = {
  /** The newest 100 mails, without their bodies. */
  list: publicProcedure.query(async ({ ctx }) => ({ messages: await listMailbox(ctx.db.orm, 100) })),

  message: publicProcedure
    .input(z.object({ messageId: z.string().min(1).max(300) }))
    .query(async ({ ctx, input }) => {
      const message = await readMailboxMessage(ctx.db.orm, input.messageId);
      if (!message) throw new NotFoundError('There is no such mail in the mailbox.');
      return message;
    }),
} satisfies TRPCRouterRecord;
