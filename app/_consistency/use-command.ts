'use client';

import { useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import { useLastToken } from './last-token';

/**
 * Runs a command mutation with a fresh idempotency key per user action (kept across the mutation's own
 * retries), records the returned consistency token, and refreshes the page's read models so they start
 * polling until they have caught up.
 */
export function useCommand<TInput extends { idempotencyKey: string }, TResult extends { token: string | null }, TError>(
  options: UseMutationOptions<TResult, TError, TInput>,
) {
  const { record } = useLastToken();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    ...options,
    onSuccess: async (result, ...rest) => {
      record(result.token);
      // Not awaited: the page refetches its read models in the background while the caller moves on
      // (checkout navigates straight to the order page).
      void queryClient.invalidateQueries();
      await options.onSuccess?.(result, ...rest);
    },
  });
  return {
    ...mutation,
    /** Sends the command with a new idempotency key; the outcome arrives through the mutation's state. */
    send: (input: Omit<TInput, 'idempotencyKey'>) =>
      mutation.mutate({ ...input, idempotencyKey: crypto.randomUUID() } as TInput),
  };
}
