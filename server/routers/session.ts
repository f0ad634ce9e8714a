import type { TRPCRouterRecord } from '@trpc/server';
import { isDevelopmentShop } from '@/server/auth';
import { demoAccounts, demoPassword } from '@/server/auth/demo-accounts';
import { env } from '@/server/env';
import { publicProcedure } from '../trpc/init';

export const sessionRouter = {
  /**
   * Who is signed in (null for a guest) and the cart this browser fills. Signing in, up and out are
   * better-auth's endpoints under /api/auth; this only reads the session they leave.
   */
  current: publicProcedure.query(async ({ ctx }) => ({ viewer: await ctx.viewer(), cartId: ctx.cartId })),

  /**
   * What the sign-in page offers: the demo accounts on a development shop, and whether a sign-in link
   * arrives by SMTP or in the development mailbox (and whether it can be read there: see mailbox.ts).
   */
  signInOptions: publicProcedure.query(() => {
    const development = isDevelopmentShop();
    const mailbox = !env.SMTP_URL;
    return {
      demo: development ? { password: demoPassword, accounts: demoAccounts.map(({ name, email, role }) => ({ name, email, role })) } : null,
      magicLink: !mailbox || development,
      mailbox,
    };
  }),
} satisfies TRPCRouterRecord;
