import { and, asc, desc, gte, lte, sql, sum } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { dailySalesProjection } from './projection';
import { dailyProductSales, dailySales, type DailySales } from './schema';

/** A product's sales over a range of days. */
export type ProductSales = {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly orderCount: number;
  readonly revenueCents: number;
};

export type SalesReport = {
  readonly checkpoint: string;
  /** Every day of the range, oldest first, days without sales as zero. */
  readonly days: DailySales[];
  /** The products sold in the range, best-selling (by revenue) first. */
  readonly products: ProductSales[];
};

/** The calendar days (UTC, `YYYY-MM-DD`) from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = new Date(`${from}T00:00:00.000Z`); at.toISOString().slice(0, 10) <= to; at.setUTCDate(at.getUTCDate() + 1)) {
    days.push(at.toISOString().slice(0, 10));
  }
  return days;
}

/** The last `days` days up to `today`, as a range: the default view. */
export function lastDays(days: number, today: Date): { from: string; to: string } {
  const first = new Date(today);
  first.setUTCDate(first.getUTCDate() - (days - 1));
  return { from: first.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}

/** Sales per day and per product from `from` to `to` (UTC days, both included), from one snapshot. */
export function readSalesReport(db: Orm, range: { from: string; to: string }): Promise<SalesReport> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, dailySalesProjection.name);
    const rows = await tx
      .select()
      .from(dailySales)
      .where(and(gte(dailySales.day, range.from), lte(dailySales.day, range.to)))
      .orderBy(asc(dailySales.day));
    const byDay = new Map(rows.map((row) => [row.day, row]));
    const days = daysBetween(range.from, range.to).map((day) => byDay.get(day) ?? { day, orderCount: 0, revenueCents: 0 });
    const revenue = sql<string>`${sum(dailyProductSales.revenueCents)}`;
    const products = await tx
      .select({
        productId: dailyProductSales.productId,
        // The name it was last sold under in the range (a day whose orders were all cancelled sold nothing).
        name: sql<string>`(array_agg(${dailyProductSales.name} order by ${dailyProductSales.day} desc) filter (where ${dailyProductSales.quantity} > 0))[1]`,
        quantity: sql<string>`${sum(dailyProductSales.quantity)}`,
        orderCount: sql<string>`${sum(dailyProductSales.orderCount)}`,
        revenueCents: revenue,
      })
      .from(dailyProductSales)
      .where(and(gte(dailyProductSales.day, range.from), lte(dailyProductSales.day, range.to)))
      .groupBy(dailyProductSales.productId)
      // A product whose every order that day was cancelled keeps a row of zeros; it sold nothing.
      .having(sql`${sum(dailyProductSales.quantity)} > 0`)
      .orderBy(desc(revenue), asc(dailyProductSales.productId));
    return {
      checkpoint,
      days,
      products: products.map((row) => ({
        productId: row.productId,
        name: row.name,
        quantity: Number(row.quantity),
        orderCount: Number(row.orderCount),
        revenueCents: Number(row.revenueCents),
      })),
    };
  });
}

/** The last `days` days of sales, oldest first, with empty days filled in as zero. */
export async function listDailySales(
  db: Orm,
  options: { days: number; today: Date },
): Promise<{ checkpoint: string; days: DailySales[] }> {
  const { checkpoint, days } = await readSalesReport(db, lastDays(options.days, options.today));
  return { checkpoint, days };
}
