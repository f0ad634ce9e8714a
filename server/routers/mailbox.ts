import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listMailbox, readMailboxMessage } from '@/reactors/notifications/query';
import { isDevelopmentShop } from '@/server/auth';
import { NotFoundError } from '@/domain';
import { publicProcedure, type Context } from '../trpc/init';

/**
 * The development mailbox: the mail the shop stores when no SMTP server is configured (SMTP_URL unset),
 * sign-in links among it. On a development shop (AUTH_SECRET unset, the demo accounts public anyway) anyone
 * reads all of it, so a magic link can be followed without a mail server. On a shop with a secret of its own,
 * a sign-in link in it would let anyone in: there a customer reads only their own mail, staff all of it.
 */
async function mailboxReader(ctx: Pick<Context, 'viewer'>): Promise<{ to?: string }> {
  if (isDevelopmentShop()) return {};
  const viewer = await ctx.viewer();
  if (!viewer) throw new NotFoundError('Sign in to read your mail.');
  return viewer.role === 'staff' ? {} : { to: viewer.email };
}

export const mailboxRouter = {
  /** Whether everyone reads every mail (a development shop), so the page can say so. */
  access: publicProcedure.query(() => ({ everyone: isDevelopmentShop() })),

  /** The newest 100 mails the reader may see, without their bodies. */
  list: publicProcedure.query(async ({ ctx }) => {
    if (!isDevelopmentShop() && !(await ctx.viewer())) return { messages: [] };
    const { to } = await mailboxReader(ctx);
    return { messages: await listMailbox(ctx.db.orm, 100, to) };
  }),

  message: publicProcedure
    .input(z.object({ messageId: z.string().min(1).max(300) }))
    .query(async ({ ctx, input }) => {
      const { to } = await mailboxReader(ctx);
      const message = await readMailboxMessage(ctx.db.orm, input.messageId);
      // Someone else's mail reads exactly like none.
      if (!message || (to !== undefined && message.to !== to)) throw new NotFoundError('There is no such mail in the mailbox.');
      return message;
    }),
} satisfies TRPCRouterRecord;
