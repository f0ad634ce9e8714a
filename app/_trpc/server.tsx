import 'server-only';

import { dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { cookies, headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { appRouter } from '@/server/routers';
import { createTRPCContext } from '@/server/trpc/init';
import { makeQueryClient } from './query-client';

/** One query client and one context per server render, shared by every component of that render. */
const getQueryClient = cache(makeQueryClient);

// Only a server action may set cookies through the store: renders call queries, never mutations.
const createContext = cache(async () => createTRPCContext({ headers: await headers(), cookieStore: await cookies() }));

/** Server components prefetch through this; client components then read the same queries from the cache. */
export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/** Direct calls for server components that render data themselves (no client cache involved) and server actions. */
export const serverCaller = cache(async () => appRouter.createCaller(await createContext()));

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** Starts a query during the server render; HydrateClient streams its result to the client cache. */
export function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): void {
  void getQueryClient().prefetchQuery(options);
}
