import { randomUUID } from 'node:crypto';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { catalogSorts, listCatalog } from '@/projections/product-catalog/query';
import { listProduct, repriceProduct, restockProduct } from '@/server/commands/catalog';
import { staffCommandProcedure, staffProcedure } from '../trpc/init';

/** A million dollars: far above anything the shop sells, low enough that a slipped extra digit is refused. */
const maxPriceCents = 100_000_000;
/** More than a warehouse holds of one product; a bigger number is a typo. */
const maxStock = 1_000_000;

const productId = z.uuid({ error: 'That is not a product id.' });
const priceCents = z
  .number({ error: 'Please give the price as a number.' })
  .int('Please give the price in whole cents.')
  .min(1, 'The price must be at least $0.01.')
  .max(maxPriceCents, 'The price must be at most $1,000,000.');

const newProduct = z.object({
  name: z.string().trim().min(1, 'Please give the product a name.').max(120, 'Please keep the name under 120 characters.'),
  description: z
    .string()
    .trim()
    .min(1, 'Please describe the product for shoppers.')
    .max(2_000, 'Please keep the description under 2,000 characters.'),
  category: z.string().trim().min(1, 'Please give a category.').max(100, 'Please keep the category under 100 characters.'),
  priceCents,
  initialStock: z
    .number({ error: 'Please give the stock as a number.' })
    .int('Stock is a whole number.')
    .min(0, 'The stock cannot be negative.')
    .max(maxStock, `The stock must be at most ${maxStock.toLocaleString('en-US')}.`),
});

/** The catalog as staff manage it: the same read model as the storefront, and the three catalog commands. */
export const backOfficeCatalogRouter = {
  /** A page of the catalog (24 products), optionally of one category, with stock and price. */
  products: staffProcedure
    .input(
      z.object({
        category: z.string().trim().min(1).max(100, 'Please keep the category under 100 characters.').optional(),
        page: z.number().int().min(1, 'Pages are counted from 1.').max(1_000).default(1),
        sort: z.enum(catalogSorts, `Sort by one of: ${catalogSorts.join(', ')}.`).default('name'),
      }),
    )
    .query(({ ctx, input }) => listCatalog(ctx.db.orm, input)),

  /** Lists a new product under an id chosen here; a retry with the same idempotency key gets the same product. */
  list: staffCommandProcedure
    .input(newProduct)
    .mutation(({ ctx, input: { idempotencyKey: _key, ...product } }) => listProduct(ctx.store, ctx.envelope, { ...product, productId: randomUUID() })),

  reprice: staffCommandProcedure
    .input(z.object({ productId, priceCents }))
    .mutation(({ ctx, input }) => repriceProduct(ctx.store, ctx.envelope, { productId: input.productId, priceCents: input.priceCents })),

  /** Adds stock that arrived: the quantity is added to what is there. */
  restock: staffCommandProcedure
    .input(
      z.object({
        productId,
        quantity: z
          .number({ error: 'Please give the quantity as a number.' })
          .int('Stock is a whole number.')
          .min(1, 'Please restock at least 1.')
          .max(maxStock, `Please restock at most ${maxStock.toLocaleString('en-US')} at a time.`),
      }),
    )
    .mutation(({ ctx, input }) => restockProduct(ctx.store, ctx.envelope, { productId: input.productId, quantity: input.quantity })),
} satisfies TRPCRouterRecord;
