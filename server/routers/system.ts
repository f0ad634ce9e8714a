import type { TRPCRouterRecord } from '@trpc/server';
import { runMode } from '@/server/run-mode';
import { publicProcedure, sameSiteMutation } from '../trpc/init';

export const systemRouter = {
  /** Which backends the shop runs on, for the page footer. */
  runMode: publicProcedure.query(() => runMode()),

  /**
   * A mutation that does nothing: the benchmark's floor for the command endpoint (scripts/bench/http.ts). It
   * passes what every mutation passes (the HTTP edge, the input check, the cross-site refusal, superjson)
   * and reads nothing, writes nothing and looks up no session, so what a command costs beyond it is the
   * command's own. Harmless to anyone: it takes no input and answers a constant.
   */
  ping: sameSiteMutation.mutation(() => ({ pong: true as const })),
} satisfies TRPCRouterRecord;
