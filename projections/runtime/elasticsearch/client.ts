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
