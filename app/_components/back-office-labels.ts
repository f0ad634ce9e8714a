/**
 * A stream id as `kind-<id>[.name]`: the kind (order, cart, fulfillment, payment, shipment, timer…), a short
 * id and a timer's name; the whole id is in the cell's title.
 */
export function streamLabel(streamId: string): { kind: string; id: string } {
  const match = /^(.*?)-([0-9a-f]{8})(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(\..+)?$/i.exec(streamId);
  return match ? { kind: match[1]!, id: `${match[2]!}${match[3] ?? ''}` } : { kind: streamId, id: '' };
}

/** An actor as `kind:<id>` with the id shortened (`customer:07f02d43`); the whole is in the title. */
export function actorLabel(actor: string): string {
  return actor.replace(/:([0-9a-f]{8})(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i, ':$1');
}

/**
 * An idempotency key shortened: a client's UUID to its first 8 characters, a consumer's `prefix:<uuid>` to
 * `prefix:<8>` (`fulfillment:4783ed0e`); the whole is in the title.
 */
export function keyLabel(key: string): string {
  const short = actorLabel(key);
  return short === key && /^[0-9a-f]{8}-/i.test(key) ? key.slice(0, 8) : short;
}
