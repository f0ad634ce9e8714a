import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { openDatabase } from '@/db/open';
import { user } from '@/db/schema/auth';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * `npm run staff -- <email>`: makes an account staff (the back office); `--revoke` makes it a customer again.
 * Roles are never taken from a form (server/auth/auth.ts), so this is how a shop with AUTH_SECRET gets its
 * first staff member: sign up in the shop, then run this. Its next request sees the role.
 */
await main(async () => {
  const args = process.argv.slice(2);
  const revoke = args.includes('--revoke');
  const email = z.email().safeParse(args.find((arg) => !arg.startsWith('--'))?.trim().toLowerCase());
  if (!email.success) throw new ScriptRefusal('Usage: npm run staff -- <email of an account> [--revoke]');
  const db = await openDatabase({ url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR }, { max: 1, applicationName: 'hindsight-staff' });
  try {
    const role = revoke ? 'customer' : 'staff';
    const changed = await db.orm.update(user).set({ role, updatedAt: new Date() }).where(eq(user.email, email.data)).returning({ name: user.name });
    if (changed.length === 0) throw new ScriptRefusal(`No account has the email ${email.data}: sign up in the shop first.`);
    console.log(revoke ? `${changed[0]!.name} (${email.data}) is a customer again.` : `${changed[0]!.name} (${email.data}) is staff now: the back office is theirs.`);
  } finally {
    await db.close();
  }
});
