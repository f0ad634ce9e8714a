/**
 * What one request to the API may carry. The browser's batch link and the server's edge share these numbers,
 * so a page never builds a request the server refuses.
 */

/** Calls in one batched request; the browser's link splits a bigger batch into several requests. */
export const maxCallsPerBatch = 20;

/**
 * Bytes in one request's body. The largest input the API takes (a product's description, a checkout with its
 * address and card) is a few kilobytes; this leaves room for a full batch of those and no more.
 */
export const maxRequestBodyBytes = 64 * 1024;
