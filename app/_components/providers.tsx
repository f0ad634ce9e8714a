'use client';

import type { ReactNode } from 'react';
import { LastTokenProvider } from '../_consistency/last-token';
import { ProgressProvider } from '../_consistency/progress';
import { TRPCReactProvider } from '../_trpc/client';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <LastTokenProvider>
        <ProgressProvider>{children}</ProgressProvider>
      </LastTokenProvider>
    </TRPCReactProvider>
  );
}
