import { assertNever } from '../decider';
import type { ProductEvent } from './events';

export type ProductState =
  | { status: 'unlisted' }
  | {
      status: 'listed';
      productId: string;
      name: string;
      category: string;
      priceCents: number;
      stock: number;
    };

export type ListedProduct = Extract<ProductState, { status: 'listed' }>;

export const initialProductState = (): ProductState => ({ status: 'unlisted' });

export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  if (event.type === 'ProductListed') {
    const { productId, name, category, priceCents, stock } = event.data;
    return { status: 'listed', productId, name, category, priceCents, stock };
  }
  // Every later event presupposes a listing; a stream that breaks this is left as it is.
  if (state.status !== 'listed') return state;
  switch (event.type) {
    case 'ProductRepriced':
      return { ...state, priceCents: event.data.priceCents };
    case 'ProductRestocked':
    case 'StockReserved':
    case 'StockReleased':
      return { ...state, stock: event.data.stock };
    default:
      return assertNever(event);
  }
}
