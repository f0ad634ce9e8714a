import type { ReactNode } from 'react';
import { readableError, type CallError } from './format';

/**
 * What a page's list shows before it has its data: the query's error as an alert (in words, never zod's list
 * of issues), "Loading…", or the list's empty state; otherwise the list itself, given the data.
 */
export function QueryStates<Data>(props: {
  query: { data: Data | undefined; error: CallError | null };
  isEmpty: (data: Data) => boolean;
  empty: ReactNode;
  children: (data: Data) => ReactNode;
}) {
  const { data, error } = props.query;
  if (error) {
    return (
      <p className="error" role="alert">
        {readableError(error)}
      </p>
    );
  }
  if (data === undefined) return <p>Loading…</p>;
  if (props.isEmpty(data)) return <p className="notice">{props.empty}</p>;
  return <>{props.children(data)}</>;
}
