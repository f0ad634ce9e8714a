import 'server-only';

import { forbidden, unauthorized } from 'next/navigation';
import { serverCaller } from '../../_trpc/server';
import type { RouterOutputs } from '../../_trpc/types';

type Viewer = NonNullable<RouterOutputs['session']['current']['viewer']>;

/**
 * The staff member signed in, for a back-office layout or page: a visitor gets 401 (app/unauthorized.tsx sends
 * them to sign in and back), a customer 403 (app/forbidden.tsx). Pages ask too, since Next.js renders a layout
 * and its page side by side; every procedure they call is staff-only again (`staffProcedure`).
 */
export async function requireStaff(): Promise<Viewer> {
  const { viewer } = await (await serverCaller()).session.current();
  if (!viewer) unauthorized();
  if (viewer.role !== 'staff') forbidden();
  return viewer;
}
