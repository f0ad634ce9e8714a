import { randomUUID } from 'node:crypto';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { getCart } from '@/projections/carts/query';
import { getProductAvailability } from '@/projections/product-catalog/query';
import { addItemToCart, changeCartItemQuantity, checkOutCart, removeCartItem } from '@/server/commands/cart';
import { maxLineQuantity, NotFoundError } from '@/domain';
import { cartCookie } from '../trpc/cookies';
import { commandProcedure, shopperCommandProcedure, shopperProcedure, type Context } from '../trpc/init';

const productId = z.string().min(1).max(100);
const quantity = z.number().int().min(1).max(maxLineQuantity);

/** The checkout form's address, with the messages it shows beside each field. */
const shippingAddress = z.object({
  name: z.string().trim().min(1, 'Please enter the name to ship to.').max(100),
  line1: z.string().trim().min(1, 'Please enter the street and house number.').max(200),
  // An empty second line is no second line.
  line2: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((line) => line || undefined),
  city: z.string().trim().min(1, 'Please enter the city.').max(100),
  postalCode: z.string().trim().min(1, 'Please enter the postal code.').max(20),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Please pick a country.'),
});

/**
 * The card, checked for shape here so the form can say what is wrong beside the field; whether it is a real
 * card is the payment gateway's to say. It goes to the gateway only, which answers with a token.
 */
const card = z.object({
  number: z
    .string()
    .trim()
    .regex(/^[0-9][0-9 ]{10,21}[0-9]$/, 'Please enter the card number (the test cards are listed below).'),
  expiry: z
    .string()
    .trim()
    .regex(/^(0[1-9]|1[0-2])\/[0-9]{2}$/, 'Please enter the expiry date as MM/YY.'),
  cvc: z.string().trim().regex(/^[0-9]{3,4}$/, 'Please enter the 3 or 4 digit security code.'),
});

/** The cart being filled: the cookie's, or a new one whose id the response hands back in a cookie. */
function rememberCart(ctx: Pick<Context, 'setCookie'>, cartId: string | null): void {
  ctx.setCookie(cartCookie, cartId);
}

function requireCart(ctx: { cartId: string | null }): string {
  if (!ctx.cartId) throw new NotFoundError('Your cart is empty.');
  return ctx.cartId;
}

/** A guest with no id has never added anything, so has no cart to change. */
function requireShopper(ctx: { shopperId: string | null }): string {
  if (!ctx.shopperId) throw new NotFoundError('Your cart is empty.');
  return ctx.shopperId;
}

export const cartRouter = {
  get: shopperProcedure.query(async ({ ctx }) => {
    // Without a cart cookie the read model is still asked, so the page gets its checkpoint to judge.
    const view = await getCart(ctx.db.orm, ctx.cartId ?? '');
    // A cart of someone else (this browser's cookie from before signing in or out) is not shown.
    if (!view.cart || view.cart.customerId !== ctx.shopperId) return { checkpoint: view.checkpoint, cart: null };
    // Each line says how many the catalog has now, so the page can warn before checkout refuses. `stock` is
    // null for a product the catalog has not caught up with: the page then has nothing to warn about. The
    // cart says the most one line may hold, so its quantity pickers offer no more.
    const availability = await getProductAvailability(ctx.db.orm, view.cart.lines.map((line) => line.productId));
    const lines = view.cart.lines.map((line) => {
      const product = availability.get(line.productId);
      return { ...line, category: product?.category ?? null, stock: product?.stock ?? null };
    });
    return { checkpoint: view.checkpoint, cart: { ...view.cart, lines, maxLineQuantity } };
  }),

  /** A guest may fill a cart too; it joins their account's cart when they sign in (server/auth/guest-cart.ts). */
  addItem: shopperCommandProcedure.input(z.object({ productId, quantity })).mutation(async ({ ctx, input }) => {
    const result = await addItemToCart(ctx.store, ctx.envelope, {
      ...input,
      cartId: ctx.cartId,
      newCartId: randomUUID(),
      customerId: ctx.shopperId ?? ctx.newGuestId(),
    });
    if (result.cartId !== ctx.cartId) rememberCart(ctx, result.cartId);
    return result;
  }),

  changeQuantity: shopperCommandProcedure
    .input(z.object({ productId, quantity: z.number().int().min(0).max(maxLineQuantity) }))
    .mutation(({ ctx, input }) => {
      return changeCartItemQuantity(ctx.store, ctx.envelope, { ...input, cartId: requireCart(ctx), customerId: requireShopper(ctx) });
    }),

  removeItem: shopperCommandProcedure.input(z.object({ productId })).mutation(({ ctx, input }) => {
    return removeCartItem(ctx.store, ctx.envelope, { ...input, cartId: requireCart(ctx), customerId: requireShopper(ctx) });
  }),

  checkOut: commandProcedure.input(z.object({ cartId: z.uuid(), shippingAddress, card })).mutation(async ({ ctx, input }) => {
    // Tokenised first: the order records the gateway's token, never the card.
    const payments = await ctx.payments();
    const token = await payments.tokenize(input.card);
    const result = await checkOutCart(ctx.store, ctx.envelope, {
      cartId: input.cartId,
      customerId: ctx.customerId,
      shippingAddress: input.shippingAddress,
      payment: { token: token.token, last4: token.last4, brand: token.brand, cardRisk: token.riskLevel },
    });
    // The next item added starts a new cart.
    if (ctx.cartId === input.cartId) rememberCart(ctx, null);
    return result;
  }),
} satisfies TRPCRouterRecord;
