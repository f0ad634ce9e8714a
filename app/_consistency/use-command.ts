'use client';

import { useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import { useMemo } from 'react';
import { readableError, type CallError } from '../_components/format';
import { useLastToken } from './last-token';

/**
 * The mutation's error with a message for people (see `readableError`): every form that shows
 * `error.message` shows a sentence, never tRPC's raw list of zod issues. Everything else on the error, its
 * `data.issues` for messages beside fields included, stays as it was.
 */
function withReadableMessage<TError>(error: TError): TError {
  if (!(error instanceof Error)) return error;
  const message = readableError(error as Error & CallError);
  if (message === error.message) return error;
  const readable = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as Error, error);
  readable.message = message;
  return readable as TError;
}

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
  const error = useMemo(() => (mutation.error === null ? null : withReadableMessage(mutation.error)), [mutation.error]);
  return {
    ...mutation,
    error,
    /** Sends the command with a new idempotency key; the outcome arrives through the mutation's state. */
    send: (input: Omit<TInput, 'idempotencyKey'>) =>
      mutation.mutate({ ...input, idempotencyKey: crypto.randomUUID() } as TInput),
  };
}
