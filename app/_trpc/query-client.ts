import { defaultShouldDehydrateQuery, QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

/** Shared by the server (one per request) and the browser (one per tab). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Read models change only when the worker moves them; the consistency hook refetches while behind.
      queries: { staleTime: 5_000, retry: 1 },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === 'pending',
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
