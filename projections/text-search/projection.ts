import { eq } from 'drizzle-orm';
import type { OrderStatus } from '@/server/domain';
import { defineProjection, type ProjectionTx } from '../runtime/projection';
import { textSearchOrders, textSearchProducts } from './schema';

async function moveOrder(tx: ProjectionTx, orderId: string, status: OrderStatus, at: string): Promise<void> {
  await tx.update(textSearchOrders).set({ status, updatedAt: new Date(at) }).where(eq(textSearchOrders.orderId, orderId));
}

/** The PostgreSQL stand-in for both Elasticsearch read models, used when ELASTICSEARCH_URL is unset. */
export const textSearchProjection = defineProjection({
  name: 'text_search',
  tables: [textSearchProducts, textSearchOrders],
  handlers: {
    ProductListed: async (tx, { data }) => {
      await tx
        .insert(textSearchProducts)
        .values({
          productId: data.productId,
          name: data.name,
          description: data.description,
          category: data.category,
          priceCents: data.priceCents,
          stock: data.stock,
          listedAt: new Date(data.listedAt),
        })
        .onConflictDoNothing();
    },
    ProductRepriced: async (tx, { data }) => {
      await tx.update(textSearchProducts).set({ priceCents: data.priceCents }).where(eq(textSearchProducts.productId, data.productId));
    },
    ProductRestocked: async (tx, { data }) => {
      await tx.update(textSearchProducts).set({ stock: data.stock }).where(eq(textSearchProducts.productId, data.productId));
    },
    StockReserved: async (tx, { data }) => {
      await tx.update(textSearchProducts).set({ stock: data.stock }).where(eq(textSearchProducts.productId, data.productId));
    },
    StockReleased: async (tx, { data }) => {
      await tx.update(textSearchProducts).set({ stock: data.stock }).where(eq(textSearchProducts.productId, data.productId));
    },
    OrderPlaced: async (tx, { data }) => {
      const productNames = data.lines.map((line) => line.name);
      await tx
        .insert(textSearchOrders)
        .values({
          orderId: data.orderId,
          customerId: data.customerId,
          status: 'placed',
          productNames,
          namesText: productNames.join(' '),
          itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
          totalCents: data.totalCents,
          placedAt: new Date(data.placedAt),
          updatedAt: new Date(data.placedAt),
        })
        .onConflictDoNothing();
    },
    OrderPaid: (tx, { data }) => moveOrder(tx, data.orderId, 'paid', data.paidAt),
    OrderShipped: (tx, { data }) => moveOrder(tx, data.orderId, 'shipped', data.shippedAt),
    OrderDelivered: (tx, { data }) => moveOrder(tx, data.orderId, 'delivered', data.deliveredAt),
    OrderCancelled: (tx, { data }) => moveOrder(tx, data.orderId, 'cancelled', data.cancelledAt),
  },
});
