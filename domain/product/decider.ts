import { assertNever, type Decider } from '../decider';
import { IllegalStateError, NotFoundError } from '../errors';
import {
  invalidPriceMessage,
  invalidQuantityMessage,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from '../validation';
import type { ProductCommand } from './commands';
import type { ProductEvent } from './events';
import { evolveProduct, initialProductState, type ListedProduct, type ProductState } from './state';

export const productStreamId = (productId: string): string => `product-${productId}`;

export const productNotFound = (): NotFoundError => new NotFoundError('This product does not exist.');

function requireListed(state: ProductState): ListedProduct {
  if (state.status !== 'listed') throw productNotFound();
  return state;
}

/**
 * Refuses wanting more of a product than it has in stock. Reserving stock is bound by it; adding to a cart
 * asks it early too (counting what the cart already holds), so the shopper hears it then, not at checkout.
 */
export function requireInStock(product: ListedProduct, wanted: number): void {
  if (wanted <= product.stock) return;
  throw new IllegalStateError(
    product.stock === 0 ? `${product.name} is out of stock.` : `Only ${product.stock} of ${product.name} left in stock.`,
  );
}

function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'ListProduct': {
      const { initialStock, ...data } = command.data;
      requirePositiveInteger(data.priceCents, invalidPriceMessage);
      requireNonNegativeInteger(initialStock, 'The initial stock must be a whole number of zero or more.');
      if (state.status === 'listed') throw new IllegalStateError('This product is already listed.');
      return [{ type: 'ProductListed', data: { ...data, stock: initialStock, listedAt: at } }];
    }
    case 'RepriceProduct': {
      const { productId, priceCents } = command.data;
      requirePositiveInteger(priceCents, invalidPriceMessage);
      const product = requireListed(state);
      if (product.priceCents === priceCents) return [];
      return [
        {
          type: 'ProductRepriced',
          data: { productId, previousPriceCents: product.priceCents, priceCents, repricedAt: at },
        },
      ];
    }
    case 'RestockProduct': {
      const { productId, quantity } = command.data;
      requirePositiveInteger(quantity, invalidQuantityMessage);
      const product = requireListed(state);
      return [
        { type: 'ProductRestocked', data: { productId, quantity, stock: product.stock + quantity, restockedAt: at } },
      ];
    }
    case 'ReserveStock': {
      const { productId, orderId, quantity } = command.data;
      requirePositiveInteger(quantity, invalidQuantityMessage);
      const product = requireListed(state);
      requireInStock(product, quantity);
      return [
        {
          type: 'StockReserved',
          data: { productId, orderId, quantity, stock: product.stock - quantity, reservedAt: at },
        },
      ];
    }
    case 'ReleaseStock': {
      const { productId, orderId, quantity } = command.data;
      requirePositiveInteger(quantity, invalidQuantityMessage);
      const product = requireListed(state);
      return [
        {
          type: 'StockReleased',
          data: { productId, orderId, quantity, stock: product.stock + quantity, releasedAt: at },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const productDecider: Decider<ProductState, ProductCommand, ProductEvent> = {
  decide: decideProduct,
  evolve: evolveProduct,
  initialState: initialProductState,
  // Every order reserves stock on its products' streams, so a popular product's stream grows without end.
  // ProductState is flat JSON; raise stateVersion whenever it or evolveProduct changes. Every command that
  // names a product loads its stream, but only checkouts and stock changes write it, so a snapshot (one small
  // upsert) every 10 events keeps each load to a few rows; at 50, loads folded 25 events on average.
  snapshots: { stateVersion: 1, every: 10 },
};
