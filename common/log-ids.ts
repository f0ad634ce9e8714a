/**
 * The shapes of the log's ids as staff type or link them: the stream browser and the trace pages check them
 * before asking, and the API refuses anything else with a 400.
 */

/** Every stream id the shop makes (`order-<uuid>`, `timer-<uuid>.1.payment-deadline`, …) fits in this. */
export const maxStreamIdLength = 200;

/** Printable ASCII without spaces: no stream id the shop makes has any other character. */
export const streamIdPattern = /^[\x21-\x7e]+$/;

/** A correlation id as the edge accepts one from a caller (`x-correlation-id`) or makes one (a UUID). */
export const correlationIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

export const isStreamId = (text: string): boolean => text.length <= maxStreamIdLength && streamIdPattern.test(text);
