import { randomUUID } from 'node:crypto';
import type { EventStore } from '@/db/event-store';
import {
  cartDecider,
  cartNotFound,
  cartStreamId,
  orderDecider,
  orderStreamId,
  productDecider,
  productNotFound,
  productStreamId,
  maxLineQuantity,
  requireInStock,
  type OrderPayment,
  type ShippingAddress,
} from '@/domain';
import { runCommand, type CommandEnvelope, type UnitOfWork } from './run-command';

/**
 * Adds to the shopper's open cart. The cart named by the browser's cookie is used while it is open and
 * theirs; otherwise (no cookie, a cart already checked out, another customer's) a new cart is started, so a
 * stale cookie never locks a shopper out of shopping.
 */
export async function addItemToCart(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { cartId: string | null; newCartId: string; customerId: string; productId: string; quantity: number },
) {
  return runCommand(store, envelope, async (unit, now) => {
    // Name and price come from the product's own stream, never from the client or a read model. Both streams
    // are read at once: one round trip's wait instead of two, for every item added.
    const [product, current] = await Promise.all([
      unit.load(productStreamId(input.productId), productDecider),
      input.cartId ? unit.load(cartStreamId(input.cartId), cartDecider) : null,
    ]);
    if (product.status !== 'listed') throw productNotFound();
    const usable = current?.status === 'open' && current.customerId === input.customerId;
    const cartId = usable && input.cartId ? input.cartId : input.newCartId;
    // Otherwise the cart is new, under an id the server just generated: there is nothing to read.
    const cart = usable && current ? current : unit.startNew(cartStreamId(cartId), cartDecider);
    const inCart = cart.status === 'open' ? (cart.lines.find((l) => l.productId === input.productId)?.quantity ?? 0) : 0;
    // Stock is only reserved at checkout; this early check spares the shopper a surprise there.
    requireInStock(product, inCart + input.quantity);
    await unit.decide(cartStreamId(cartId), cartDecider, {
      type: 'AddItem',
      data: {
        cartId,
        customerId: input.customerId,
        productId: input.productId,
        name: product.name,
        unitPriceCents: product.priceCents,
        quantity: input.quantity,
      },
      metadata: { now },
    });
    return { cartId };
  });
}

export async function changeCartItemQuantity(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { cartId: string; customerId: string; productId: string; quantity: number },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await requireOwnCart(unit, input.cartId, input.customerId);
    const cart = await unit.load(cartStreamId(input.cartId), cartDecider);
    const current = cart.status === 'open' ? cart.lines.find((line) => line.productId === input.productId)?.quantity : undefined;
    // More than the cart held must be in stock, as when it was added: checkout should not be the first to say so.
    // Fewer is always allowed, so a shopper can always bring a line back under what is left.
    if (current !== undefined && input.quantity > current) {
      const product = await unit.load(productStreamId(input.productId), productDecider);
      if (product.status === 'listed') requireInStock(product, input.quantity);
    }
    await unit.decide(cartStreamId(input.cartId), cartDecider, {
      type: 'ChangeItemQuantity',
      data: { cartId: input.cartId, productId: input.productId, quantity: input.quantity },
      metadata: { now },
    });
    return { cartId: input.cartId };
  });
}

export async function removeCartItem(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { cartId: string; customerId: string; productId: string },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await requireOwnCart(unit, input.cartId, input.customerId);
    await unit.decide(cartStreamId(input.cartId), cartDecider, {
      type: 'RemoveItem',
      data: { cartId: input.cartId, productId: input.productId },
      metadata: { now },
    });
    return { cartId: input.cartId };
  });
}

/**
 * Checking out touches three kinds of stream at once: the cart is checked out, each product's stock is
 * reserved and the order is placed. They are appended in one transaction, so a shopper never gets an order
 * without its stock, or stock taken for an order that does not exist. From there the fulfillment process
 * (processes/fulfillment) moves the order, and releases the stock again if the order fails.
 */
export async function checkOutCart(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { cartId: string; customerId: string; shippingAddress: ShippingAddress; payment: OrderPayment },
) {
  // Chosen once, outside the retry loop, so a retried attempt places the same order.
  const orderId = randomUUID();
  return runCommand(store, envelope, async (unit, now) => {
    await requireOwnCart(unit, input.cartId, input.customerId);
    // The order charges the prices the shopper saw in the cart (recorded when each item was added).
    const [checkedOut] = await unit.decide(cartStreamId(input.cartId), cartDecider, {
      type: 'CheckOut',
      data: { cartId: input.cartId, orderId },
      metadata: { now },
    });
    if (checkedOut?.type !== 'CartCheckedOut') throw new Error('Checking out produced no CartCheckedOut event.');
    for (const line of checkedOut.data.lines) {
      await unit.decide(productStreamId(line.productId), productDecider, {
        type: 'ReserveStock',
        data: { productId: line.productId, orderId, quantity: line.quantity },
        metadata: { now },
      });
    }
    unit.startNew(orderStreamId(orderId), orderDecider);
    await unit.decide(orderStreamId(orderId), orderDecider, {
      type: 'PlaceOrder',
      data: {
        orderId,
        customerId: input.customerId,
        cartId: input.cartId,
        lines: checkedOut.data.lines,
        shippingAddress: input.shippingAddress,
        payment: input.payment,
      },
      metadata: { now },
    });
    return { orderId };
  });
}

/**
 * A guest's cart joins the account's when the guest signs in: each line is added to the customer's open cart
 * (at today's price, as adding it anew would be) and removed from the guest's, in one append, so a line is
 * never in both carts or in neither. Lines whose product is gone or out of stock stay behind; the guest cart,
 * emptied of the rest, is left as an empty cart nobody shows. Answers the customer's cart, and how many lines
 * moved.
 */
export async function mergeGuestCart(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { guestId: string; guestCartId: string; customerId: string; customerCartId: string | null; newCartId: string },
) {
  return runCommand(store, envelope, async (unit, now) => {
    const guestCart = await unit.load(cartStreamId(input.guestCartId), cartDecider);
    if (guestCart.status !== 'open' || guestCart.customerId !== input.guestId) return { cartId: input.customerCartId, moved: 0 };
    const current = input.customerCartId ? await unit.load(cartStreamId(input.customerCartId), cartDecider) : null;
    const usable = current?.status === 'open' && current.customerId === input.customerId;
    const cartId = usable && input.customerCartId ? input.customerCartId : input.newCartId;
    let cart = usable && current ? current : unit.startNew(cartStreamId(cartId), cartDecider);
    let moved = 0;
    for (const line of guestCart.lines) {
      const product = await unit.load(productStreamId(line.productId), productDecider);
      const inCart = cart.status === 'open' ? (cart.lines.find((l) => l.productId === line.productId)?.quantity ?? 0) : 0;
      const quantity = Math.min(line.quantity, maxLineQuantity - inCart);
      if (product.status !== 'listed' || quantity <= 0 || product.stock < inCart + quantity) continue;
      await unit.decide(cartStreamId(cartId), cartDecider, {
        type: 'AddItem',
        data: { cartId, customerId: input.customerId, productId: line.productId, name: product.name, unitPriceCents: product.priceCents, quantity },
        metadata: { now },
      });
      await unit.decide(cartStreamId(input.guestCartId), cartDecider, {
        type: 'RemoveItem',
        data: { cartId: input.guestCartId, productId: line.productId },
        metadata: { now },
      });
      cart = await unit.load(cartStreamId(cartId), cartDecider);
      moved += 1;
    }
    return { cartId: moved > 0 || usable ? cartId : null, moved };
  });
}

async function requireOwnCart(
  unit: UnitOfWork,
  cartId: string,
  customerId: string,
): Promise<void> {
  const cart = await unit.load(cartStreamId(cartId), cartDecider);
  if (cart.status !== 'empty' && cart.customerId !== customerId) throw cartNotFound();
}
