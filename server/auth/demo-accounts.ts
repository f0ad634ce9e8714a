import { hashPassword } from 'better-auth/crypto';
import { sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { account, user } from '@/db/schema/auth';
import { seedCustomers, seedStaff } from '@/server/seed-data';
import type { Role } from './auth';

/**
 * The demo accounts: the three seed shoppers and one staff member, all with the same password, which the
 * sign-in page shows on a shop that runs with the development secret (see `showDemoAccounts`).
 */
export const demoPassword = 'hindsight-demo';

export const demoAccounts: readonly { name: string; email: string; customerId: string; role: Role }[] = [
  ...seedCustomers.map((customer) => ({ ...customer, role: 'customer' as const })),
  { ...seedStaff, role: 'staff' },
];

/**
 * Writes the demo accounts straight into better-auth's tables, under the seed customers' ids (the seed
 * registers those customers in the log itself). Signing them up through the library would give them new
 * ids. Existing rows are left alone, so seeding again changes nothing, and a password changed since stays.
 */
export async function seedDemoAccounts(orm: Orm): Promise<number> {
  const password = await hashPassword(demoPassword);
  for (const demo of demoAccounts) {
    await orm
      .insert(user)
      .values({ id: demo.customerId, name: demo.name, email: demo.email, emailVerified: true, role: demo.role })
      .onConflictDoNothing();
    const [existing] = await orm
      .select({ id: account.id })
      .from(account)
      .where(sql`${account.userId} = ${demo.customerId} and ${account.providerId} = 'credential'`);
    if (!existing) {
      await orm.insert(account).values({ accountId: demo.customerId, providerId: 'credential', userId: demo.customerId, password });
    }
  }
  return demoAccounts.length;
}
