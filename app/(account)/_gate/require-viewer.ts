import 'server-only';

import { unauthorized } from 'next/navigation';
import { serverCaller } from '../../_trpc/server';
import type { RouterOutputs } from '../../_trpc/types';

type Viewer = NonNullable<RouterOutputs['session']['current']['viewer']>;

/**
 * Who is signed in, for a page or layout that needs someone: without a session, a 401 (app/unauthorized.tsx).
 * Next.js renders a layout and its page side by side, so a page that reads the customer's data asks too rather
 * than trusting its layout to have stopped the render first. One session lookup per render either way.
 */
export async function requireViewer(): Promise<Viewer> {
  const { viewer } = await (await serverCaller()).session.current();
  if (!viewer) unauthorized();
  return viewer;
}
