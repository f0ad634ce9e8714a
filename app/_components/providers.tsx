'use client';

import type { ReactNode } from 'react';
import { LastTokenProvider } from '../_consistency/last-token';
import { TRPCReactProvider } from '../_trpc/client';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <LastTokenProvider>{children}</LastTokenProvider>
    </TRPCReactProvider>
  );
}
