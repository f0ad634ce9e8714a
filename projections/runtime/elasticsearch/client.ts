import { Client } from '@elastic/elasticsearch';

/**
 * An Elasticsearch client for the worker and the web server. Requests time out quickly: a search page
 * would rather say "search is catching up" than hang, and the consumer engine retries a failed batch anyway.
 * A long administrative request (a force-merge) passes a longer timeout: a per-request option can only
 * shorten the client's own. What a failed request means is `classifySearchError`'s (failures.ts).
 */
export function createSearchClient(url: string, options: { requestTimeout?: number; maxRetries?: number } = {}): Client {
  return new Client({ node: url, requestTimeout: 10_000, maxRetries: 1, ...options });
}

/**
 * Per-request options for what a person waits on (a shopper's search, staff's order search, the status page's
 * probes): a node that hangs (stopped, in a long GC, behind a dead proxy) must turn into "search is catching
 * up" in a moment, not after the client's 10 s, retried. Plenty for a search that answers at all: the bench's
 * search pages answer in about 130 ms at p95 over 100,000 orders. The worker's bulk writes keep the client's.
 */
export const interactiveRequest = { requestTimeout: 2_500, maxRetries: 0 } as const;
