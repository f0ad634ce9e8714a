import type { Command } from '../decider';

export type ListProduct = Command<
  'ListProduct',
  {
    productId: string;
    name: string;
    description: string;
    category: string;
    priceCents: number;
    initialStock: number;
  }
>;

export type RepriceProduct = Command<'RepriceProduct', { productId: string; priceCents: number }>;

export type RestockProduct = Command<'RestockProduct', { productId: string; quantity: number }>;

export type ReserveStock = Command<'ReserveStock', { productId: string; orderId: string; quantity: number }>;

export type ReleaseStock = Command<'ReleaseStock', { productId: string; orderId: string; quantity: number }>;

export type ProductCommand = ListProduct | RepriceProduct | RestockProduct | ReserveStock | ReleaseStock;
