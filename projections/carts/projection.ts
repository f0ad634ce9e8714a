import { and, eq } from 'drizzle-orm';
import { defineProjection } from '../runtime/projection';
import { cartLines, carts } from './schema';

export const cartsProjection = defineProjection({
  name: 'carts',
  tables: [carts, cartLines],
  handlers: {
    CartItemAdded: async (tx, { data, streamVersion }) => {
      const updatedAt = new Date(data.addedAt);
      await tx
        .insert(carts)
        .values({ cartId: data.cartId, customerId: data.customerId, status: 'open', updatedAt })
        .onConflictDoUpdate({ target: carts.cartId, set: { updatedAt } });
      await tx
        .insert(cartLines)
        .values({
          cartId: data.cartId,
          productId: data.productId,
          name: data.name,
          unitPriceCents: data.unitPriceCents,
          quantity: data.quantity,
          addedPosition: streamVersion,
        })
        .onConflictDoNothing();
    },
    CartItemQuantityChanged: async (tx, { data }) => {
      await tx
        .update(cartLines)
        .set({ quantity: data.quantity })
        .where(and(eq(cartLines.cartId, data.cartId), eq(cartLines.productId, data.productId)));
      await tx.update(carts).set({ updatedAt: new Date(data.changedAt) }).where(eq(carts.cartId, data.cartId));
    },
    CartItemRemoved: async (tx, { data }) => {
      await tx.delete(cartLines).where(and(eq(cartLines.cartId, data.cartId), eq(cartLines.productId, data.productId)));
      await tx.update(carts).set({ updatedAt: new Date(data.removedAt) }).where(eq(carts.cartId, data.cartId));
    },
    CartCheckedOut: async (tx, { data }) => {
      await tx
        .update(carts)
        .set({ status: 'checked_out', orderId: data.orderId, updatedAt: new Date(data.checkedOutAt) })
        .where(eq(carts.cartId, data.cartId));
    },
  },
});
