import { Client } from '@elastic/elasticsearch';

/**
 * An Elasticsearch client for the worker and the web server. Requests time out quickly: a search page
 * would rather say "search is catching up" than hang, and the consumer engine retries a failed batch anyway.
 * A long administrative request (a force-merge) passes a longer timeout: a per-request option can only
 * shorten the client's own.
 */
export function createSearchClient(url: string, options: { requestTimeout?: number; maxRetries?: number } = {}): Client {
  return new Client({ node: url, requestTimeout: 10_000, maxRetries: 1, ...options });
}

/** True when the error means the cluster could not be reached (as opposed to a request it refused). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return ['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError'].includes(error.name);
}

/** True when Elasticsearch answered that the index (or alias) does not exist. */
export function isMissingIndex(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'body' in error &&
    JSON.stringify(error.body).includes('index_not_found_exception')
  );
}
