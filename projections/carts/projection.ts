import { and, eq } from 'drizzle-orm';
import { cartEventTypes } from '@/domain';
import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { cartLines, carts } from './schema';

const lineKey = (cartId: string, productId: string) => `${cartId}\u0000${productId}`;

export const cartsProjection = defineBatchProjection({
  name: 'carts',
  tables: [carts, cartLines],
  handles: cartEventTypes,
  async applyBatch(tx, events) {
    const cartIds = events.map((event) => event.data.cartId);
    const cartRows = new RowSet(carts, (row) => row.cartId);
    const lines = new RowSet(
      cartLines,
      (row) => lineKey(row.cartId, row.productId),
      (row) => and(eq(cartLines.cartId, row.cartId), eq(cartLines.productId, row.productId))!,
    );
    await cartRows.load(tx, carts.cartId, cartIds);
    await lines.load(tx, cartLines.cartId, cartIds);
    for (const { type, data, streamVersion } of events) {
      switch (type) {
        case 'CartItemAdded': {
          const updatedAt = new Date(data.addedAt);
          cartRows.upsert({ cartId: data.cartId, customerId: data.customerId, status: 'open', orderId: null, updatedAt }, { updatedAt });
          lines.insert({
            cartId: data.cartId,
            productId: data.productId,
            name: data.name,
            unitPriceCents: data.unitPriceCents,
            quantity: data.quantity,
            addedPosition: streamVersion,
          });
          break;
        }
        case 'CartItemQuantityChanged':
          lines.update(lineKey(data.cartId, data.productId), { quantity: data.quantity });
          cartRows.update(data.cartId, { updatedAt: new Date(data.changedAt) });
          break;
        case 'CartItemRemoved':
          lines.remove(lineKey(data.cartId, data.productId));
          cartRows.update(data.cartId, { updatedAt: new Date(data.removedAt) });
          break;
        case 'CartCheckedOut':
          cartRows.update(data.cartId, { status: 'checked_out', orderId: data.orderId, updatedAt: new Date(data.checkedOutAt) });
          break;
      }
    }
    await cartRows.write(tx);
    await lines.write(tx);
  },
});
