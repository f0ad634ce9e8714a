import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { eventCodec, type EventMetadata } from '@/db/event-store';
import {
  cartStreamId,
  customerStreamId,
  linesTotalCents,
  orderStreamId,
  productStreamId,
  shopCurrency,
  shopEventSchemas,
  type Line,
  type ShippingAddress,
  type ShopEvent,
} from '@/domain';
import { seedProducts } from '@/server/seed-data';

/**
 * A realistic shop history for the benchmarks, written straight into `events` in bulk.
 *
 * Every user action becomes one group of events with the streams, versions, data and metadata the command
 * handlers would append for it (streams sorted by id, as `appendToStreams` writes them). Groups are loaded
 * with COPY, several thousand events per transaction, never splitting a group (see `copyWriter`). The history is generated in time order, and a product's stock is tracked so nothing
 * reserves more than is there. Events are written in their types' current shapes and versions, as the
 * command path writes them today.
 */
export type ShopLogOptions = {
  readonly products: number;
  readonly customers: number;
  readonly orders: number;
  readonly log?: (message: string) => void;
};

type Group = { readonly actor: string; readonly writes: Map<string, ShopEvent[]> };

type Product = { productId: string; name: string; description: string; category: string; priceCents: number; stock: number };

type Order = { orderId: string; customerId: string; lines: Line[]; totalCents: number; placedAt: number };

/** Events per COPY, and so per transaction: large enough to amortise its round trips. */
const eventsPerCopy = 4_000;
const day = 86_400_000;
const minute = 60_000;

/** Appends the history to the events table of the database at `databaseUrl` (migrated, with or without a log). */
export async function generateShopLog(databaseUrl: string, options: ShopLogOptions): Promise<{ events: number }> {
  const writer = copyWriter(databaseUrl, new Map());
  try {
    return await generate(writer, options);
  } finally {
    await writer.close();
  }
}

async function generate(writer: ReturnType<typeof copyWriter>, options: ShopLogOptions): Promise<{ events: number }> {
  const random = seededRandom(20_250_301);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

  const now = Date.now();
  const start = now - 60 * day;
  const iso = (at: number) => new Date(at).toISOString();

  const catalog = seedProducts();
  const products: Product[] = Array.from({ length: options.products }, (_, i) => {
    const seed = catalog[i % catalog.length]!;
    const edition = Math.floor(i / catalog.length);
    return {
      productId: randomUUID(),
      name: edition === 0 ? seed.name : `${seed.name} ${edition + 1}`,
      description: seed.description,
      category: seed.category,
      priceCents: seed.priceCents,
      stock: seed.initialStock * 20,
    };
  });
  const byId = new Map(products.map((p) => [p.productId, p]));
  const staff = (streamId: string, event: ShopEvent): Group => ({ actor: 'staff', writes: new Map([[streamId, [event]]]) });
  for (const { productId, name, description, category, priceCents, stock } of products) {
    await writer.add(
      staff(productStreamId(productId), {
        type: 'ProductListed',
        data: { productId, name, description, category, priceCents, stock, listedAt: iso(start - day) },
      }),
    );
  }

  const customerIds = Array.from({ length: options.customers }, () => randomUUID());
  for (const [i, customerId] of customerIds.entries()) {
    const name = `${pick(firstNames)} ${pick(lastNames)}`;
    const registeredAt = iso(start + Math.floor((i / options.customers) * day));
    await writer.add({
      actor: 'system:seed',
      writes: new Map([
        [
          customerStreamId(customerId),
          [{ type: 'CustomerRegistered', data: { customerId, name, email: `customer-${i}@example.com`, registeredAt } }],
        ],
      ]),
    });
  }

  const restock = (p: Product, at: number, quantity: number): Group => {
    p.stock += quantity;
    return staff(productStreamId(p.productId), {
      type: 'ProductRestocked',
      data: { productId: p.productId, quantity, stock: p.stock, restockedAt: iso(at) },
    });
  };

  // Payments, shipments, deliveries and cancellations come later than their orders; a queue by time lets them
  // land in the log among the orders placed meanwhile, as they would in a running shop.
  const later = new TimeQueue<() => Group | null>();
  const advanceTo = async (at: number) => {
    for (let next = later.popUntil(at); next; next = later.popUntil(at)) {
      const group = next();
      if (group) await writer.add(group);
    }
  };

  const orderStep = (order: Order, event: ShopEvent): Group => ({
    actor: `customer:${order.customerId}`,
    writes: new Map([[orderStreamId(order.orderId), [event]]]),
  });
  const cancel = (order: Order, at: number): Group => {
    const group = orderStep(order, {
      type: 'OrderCancelled',
      data: { orderId: order.orderId, reason: 'Customer changed their mind', cancelledAt: iso(at), cancelledBy: 'customer' },
    });
    for (const line of order.lines) {
      const p = byId.get(line.productId)!;
      p.stock += line.quantity;
      group.writes.set(productStreamId(p.productId), [
        {
          type: 'StockReleased',
          data: { productId: p.productId, orderId: order.orderId, quantity: line.quantity, stock: p.stock, releasedAt: iso(at) },
        },
      ]);
    }
    return group;
  };
  /** Schedules an order's next step; steps that would fall after "now" have not happened yet. */
  const schedule = (at: number, step: () => Group) => {
    if (at <= now) later.push(at, step);
  };
  const fulfil = (order: Order) => {
    const cancelled = random() < 0.08;
    const paidAt = order.placedAt + between(5, 180) * minute;
    if (cancelled && random() < 0.5) {
      const cancelledAt = order.placedAt + between(10, 600) * minute;
      schedule(cancelledAt, () => cancel(order, cancelledAt));
      return;
    }
    if (random() < 0.04) return; // never paid: stays placed
    schedule(paidAt, () => {
      if (cancelled) {
        const cancelledAt = paidAt + between(30, 600) * minute;
        schedule(cancelledAt, () => cancel(order, cancelledAt));
      } else {
        const shippedAt = paidAt + between(12, 48) * 60 * minute;
        schedule(shippedAt, () => {
          const deliveredAt = shippedAt + between(1, 5) * day;
          schedule(deliveredAt, () =>
            orderStep(order, { type: 'OrderDelivered', data: { orderId: order.orderId, deliveredAt: iso(deliveredAt) } }),
          );
          return orderStep(order, {
            type: 'OrderShipped',
            data: { orderId: order.orderId, carrier: pick(carriers), trackingNumber: `TRK${order.orderId.slice(0, 13)}`, shippedAt: iso(shippedAt) },
          });
        });
      }
      return orderStep(order, {
        type: 'OrderPaid',
        data: { orderId: order.orderId, amountCents: order.totalCents, paymentReference: `pay_${order.orderId.slice(0, 18)}`, paidAt: iso(paidAt) },
      });
    });
  };

  for (let i = 0; i < options.orders; i++) {
    const placedAt = start + Math.floor(((i + random()) / options.orders) * 60 * day);
    await advanceTo(placedAt);
    const browsedFrom = placedAt - between(2, 30) * minute;

    // Now and then the staff reprice something: about one and a half times per product over the period.
    if (random() < (options.products * 1.5) / Math.max(options.orders, 1)) {
      const p = pick(products);
      const priceCents = Math.max(99, p.priceCents + between(-3, 3) * 50 + 1);
      if (priceCents !== p.priceCents) {
        await writer.add(
          staff(productStreamId(p.productId), {
            type: 'ProductRepriced',
            data: { productId: p.productId, previousPriceCents: p.priceCents, priceCents, repricedAt: iso(browsedFrom - minute) },
          }),
        );
        p.priceCents = priceCents;
      }
    }

    const customerId = pick(customerIds);
    const cartId = randomUUID();
    const orderId = randomUUID();
    const chosen = new Set<Product>();
    for (let count = between(1, 4); chosen.size < count; ) chosen.add(pick(products));
    const cart: ShopEvent[] = [];
    const lines: Line[] = [];
    let at = browsedFrom;
    for (const p of chosen) {
      const quantity = random() < 0.7 ? 1 : between(2, 3);
      // The add-to-cart command refuses more than is in stock, so the staff restock first.
      if (p.stock < quantity + 3) await writer.add(restock(p, at - minute, between(100, 300)));
      const line = { productId: p.productId, name: p.name, unitPriceCents: p.priceCents, quantity };
      lines.push(line);
      cart.push({ type: 'CartItemAdded', data: { cartId, customerId, ...line, addedAt: iso((at += minute)) } });
    }
    const changed = lines[0]!;
    if (random() < 0.2 && changed.quantity + 1 <= byId.get(changed.productId)!.stock) {
      changed.quantity += 1;
      cart.push({
        type: 'CartItemQuantityChanged',
        data: { cartId, productId: changed.productId, quantity: changed.quantity, changedAt: iso((at += minute)) },
      });
    }
    const actor = `customer:${customerId}`;
    await writer.add({ actor, writes: new Map([[cartStreamId(cartId), cart]]) });

    const order: Order = { orderId, customerId, lines, totalCents: linesTotalCents(lines), placedAt };
    const placed = iso(placedAt);
    const checkout: Group = {
      actor,
      writes: new Map<string, ShopEvent[]>([
        [
          cartStreamId(cartId),
          [{ type: 'CartCheckedOut', data: { cartId, customerId, orderId, lines, totalCents: order.totalCents, checkedOutAt: placed } }],
        ],
        [
          orderStreamId(orderId),
          [
            {
              type: 'OrderPlaced',
              data: {
                orderId,
                customerId,
                cartId,
                lines,
                totalCents: order.totalCents,
                placedAt: placed,
                shippingAddress: addressOf(customerId),
                currency: shopCurrency,
                // History as the bench loads it was paid and shipped by its own events: no process runs it.
                payment: null,
              },
            },
          ],
        ],
      ]),
    };
    for (const line of lines) {
      const p = byId.get(line.productId)!;
      if (p.stock < line.quantity) throw new Error(`generator bug: ${p.name} has ${p.stock}, ${line.quantity} wanted`);
      p.stock -= line.quantity;
      checkout.writes.set(productStreamId(p.productId), [
        {
          type: 'StockReserved',
          data: { productId: p.productId, orderId, quantity: line.quantity, stock: p.stock, reservedAt: placed },
        },
      ]);
    }
    await writer.add(checkout);
    fulfil(order);
    if ((i + 1) % 10_000 === 0) options.log?.(`${i + 1} orders, ${writer.count()} events`);
  }
  await advanceTo(now);
  await writer.flush();
  return { events: writer.count() };
}

/** One address per customer, made up from its id. */
function addressOf(customerId: string): ShippingAddress {
  return { name: `Customer ${customerId.slice(0, 8)}`, line1: '1 Bench Street', city: 'Utrecht', postalCode: '3511 AA', country: 'NL' };
}

const codec = eventCodec(shopEventSchemas);

/**
 * Numbers the groups' events in their streams and loads them with PostgreSQL's COPY, one COPY (and so one
 * transaction) per `eventsPerCopy` events, never splitting a group. COPY is the server's bulk path: the rows
 * stream in as text, with no statement of tens of thousands of parameters to parse and bind; it loaded the
 * log several times faster than `bulkAppend`'s INSERT (docs/benchmarks.md's log-size rows need ten
 * million events). The rows are what `bulkAppend` writes: each event's data checked against its schema, an
 * event id minted for it, the table's defaults (position, transaction id, recorded-at) filled in by the
 * server. Copies are pipelined with generation (the next chunk is generated and serialised while the
 * server takes the previous one), but only one runs at a time, so transaction ids (the readers' order)
 * follow generation order and every stream's versions come out in order.
 */
function copyWriter(url: string, versions: Map<string, number>) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let pending: string[] = [];
  let pendingEvents = 0;
  let total = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  // Kept, not thrown where it happens: nobody awaits a copy until the next one is due.
  let failure: unknown = null;
  const settled = async () => {
    await inFlight;
    if (failure) throw failure;
  };

  const flush = async () => {
    if (pendingEvents === 0) return;
    const rows = pending.join('');
    pending = [];
    pendingEvents = 0;
    const previous = settled();
    inFlight = previous
      .then(async () => {
        const stream = await sql`copy events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata) from stdin`.writable();
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.end(rows, () => resolve());
        });
      })
      .catch((error: unknown) => {
        failure ??= error;
      });
    await previous;
  };

  return {
    count: () => total,
    async add(group: Group) {
      const metadata: EventMetadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: group.actor, source: 'bench' };
      // The events of one action share their metadata, so it is serialised once.
      const metadataText = copyText(JSON.stringify(metadata));
      for (const streamId of [...group.writes.keys()].sort()) {
        let version = versions.get(streamId) ?? 0;
        for (const { type, data } of group.writes.get(streamId)!) {
          const schemaVersion = codec.currentVersion(type);
          codec.check(type, schemaVersion, data);
          pending.push(`${randomUUID()}\t${copyText(streamId)}\t${++version}\t${copyText(type)}\t${schemaVersion}\t${copyText(JSON.stringify(data))}\t${metadataText}\n`);
          pendingEvents++;
          total++;
        }
        versions.set(streamId, version);
      }
      if (pendingEvents >= eventsPerCopy) await flush();
    },
    async flush() {
      await flush();
      await settled();
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** A value in COPY's text format: a backslash, tab, newline or carriage return would end or escape a field. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c]!) : value;
}
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A min-heap of callbacks by time; ties leave in the order they came, so the history is reproducible. */
class TimeQueue<T> {
  private readonly heap: { at: number; seq: number; item: T }[] = [];
  private seq = 0;

  push(at: number, item: T): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, item });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** The earliest item due at or before `at`, removed; null when none is. */
  popUntil(at: number): T | null {
    const heap = this.heap;
    const top = heap[0];
    if (!top || top.at > at) return null;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        let smallest = i;
        if (left < heap.length && this.less(left, smallest)) smallest = left;
        if (left + 1 < heap.length && this.less(left + 1, smallest)) smallest = left + 1;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top.item;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/** mulberry32: a tiny seeded generator, so two runs produce the same shape of history. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const firstNames = ['Maya', 'Liam', 'Sofia', 'Noah', 'Amara', 'Jonas', 'Priya', 'Mateo', 'Yuki', 'Elena', 'Kofi', 'Ines'];
const lastNames = ['Okafor', 'Chen', 'Rossi', 'Novak', 'Silva', 'Berg', 'Haddad', 'Tanaka', 'Moreau', 'Kowalski'];
const carriers = ['UPS', 'DHL', 'FedEx', 'PostNL'];
