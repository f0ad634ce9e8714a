import type { EventStore } from '@/db/event-store';
import { productDecider, productStreamId } from '@/domain';
import { runCommand, type CommandEnvelope } from './run-command';

export async function listProduct(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { productId: string; name: string; description: string; category: string; priceCents: number; initialStock: number },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await unit.decide(productStreamId(input.productId), productDecider, {
      type: 'ListProduct',
      data: input,
      metadata: { now },
    });
    return { productId: input.productId };
  });
}

export async function restockProduct(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { productId: string; quantity: number },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await unit.decide(productStreamId(input.productId), productDecider, {
      type: 'RestockProduct',
      data: input,
      metadata: { now },
    });
    return { productId: input.productId };
  });
}

export async function repriceProduct(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { productId: string; priceCents: number },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await unit.decide(productStreamId(input.productId), productDecider, {
      type: 'RepriceProduct',
      data: input,
      metadata: { now },
    });
    return { productId: input.productId };
  });
}
