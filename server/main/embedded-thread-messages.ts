import type { BrokerStats } from '../broker';

/** What the web thread tells the embedded database's thread (server/main/embedded-thread.ts). */
export type ToEmbeddedThread = { type: 'broker-stats'; id: number } | { type: 'stop' };

/** What that thread tells the web thread. */
export type FromEmbeddedThread =
  | { type: 'ready'; paymentsUrl: string; seconds: number }
  | { type: 'failed'; name: string; message: string; stack: string | undefined }
  | { type: 'broker-stats'; id: number; stats: BrokerStats | null };
