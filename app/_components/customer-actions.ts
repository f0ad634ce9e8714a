'use server';

import { TRPCError } from '@trpc/server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { serverCaller } from '../_trpc/server';

/** The picker's form: picks the demo customer the browser shops as, then shows the same page again. */
export async function selectCustomer(formData: FormData): Promise<void> {
  // Only paths of this site: '//host' would be another site.
  const returnTo = z.string().regex(/^\/(?!\/)/).catch('/').parse(formData.get('returnTo'));
  try {
    await (await serverCaller()).session.selectCustomer({ customerId: String(formData.get('customerId')) });
  } catch (error) {
    // No customer to pick leaves the session as it was: an id the read model does not know (yet), or none at
    // all (the no-JavaScript Switch button pressed before a customer was chosen). Anything else is a failure.
    if (!(error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST'))) throw error;
  }
  redirect(returnTo);
}
