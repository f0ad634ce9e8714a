import type { ReactNode } from 'react';
import { requireViewer } from './_gate/require-viewer';
import './account.css';

/**
 * The customer's own pages: signed in only. A visitor gets 401 and app/unauthorized.tsx, which sends them to
 * sign in and back here. Each procedure these pages call is gated again (`customerProcedure`), so the gate
 * holds for the data even where a layout is not rendered again on navigation.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireViewer();
  return children;
}
