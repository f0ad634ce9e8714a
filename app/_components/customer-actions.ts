'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { findCustomer } from '@/projections/customers/query';
import { serverDatabase } from '@/server/db';
import { cartCookie, customerCookie } from '@/server/trpc/cookies';

const thirtyDays = 60 * 60 * 24 * 30;

/**
 * Picks the demo customer the browser shops as. This is session state, not a domain change, so it is a
 * server action setting a cookie rather than a command. Real sign-in replaces it later.
 */
export async function selectCustomer(formData: FormData): Promise<void> {
  const customerId = z.uuid().safeParse(formData.get('customerId'));
  // Only paths of this site: '//host' would be another site.
  const returnTo = z.string().regex(/^\/(?!\/)/).catch('/').parse(formData.get('returnTo'));
  if (!customerId.success || !(await findCustomer((await serverDatabase()).db.orm, customerId.data))) {
    redirect(returnTo);
  }
  const jar = await cookies();
  jar.set(customerCookie, customerId.data, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: thirtyDays });
  // A cart belongs to one customer: switching customer starts from an empty cart.
  jar.delete(cartCookie);
  redirect(returnTo);
}
