import type { OrderStatus } from '@/domain';
import type { SearchIndex } from '../runtime/elasticsearch/search-index';

export type OrderDocument = {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  productNames: string[];
  itemCount: number;
  totalCents: number;
  placedAt: string;
  updatedAt: string;
};

/** Orders, searchable per customer by the names of the products in them, by status and by date. */
export function ordersIndex(prefix: string): SearchIndex<OrderDocument> {
  return {
    alias: `${prefix}_orders`,
    version: 1,
    mappings: {
      dynamic: 'strict',
      properties: {
        orderId: { type: 'keyword' },
        customerId: { type: 'keyword' },
        status: { type: 'keyword' },
        productNames: { type: 'text', analyzer: 'standard' },
        itemCount: { type: 'integer' },
        totalCents: { type: 'integer' },
        placedAt: { type: 'date' },
        updatedAt: { type: 'date' },
      },
    },
  };
}
