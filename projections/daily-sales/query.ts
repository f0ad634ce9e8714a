import { asc, gte } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { dailySalesProjection } from './projection';
import { dailySales, type DailySales } from './schema';

/** The last `days` days of sales, oldest first, with empty days filled in as zero. */
export function listDailySales(
  db: Orm,
  options: { days: number; today: Date },
): Promise<{ checkpoint: string; days: DailySales[] }> {
  return readSnapshot(db, async (tx) => {
    const first = new Date(options.today);
    first.setUTCDate(first.getUTCDate() - (options.days - 1));
    const since = first.toISOString().slice(0, 10);
    const checkpoint = await readCheckpointToken(tx, dailySalesProjection.name);
    const rows = await tx.select().from(dailySales).where(gte(dailySales.day, since)).orderBy(asc(dailySales.day));
    const byDay = new Map(rows.map((row) => [row.day, row]));
    const days = Array.from({ length: options.days }, (_, offset) => {
      const date = new Date(first);
      date.setUTCDate(first.getUTCDate() + offset);
      const day = date.toISOString().slice(0, 10);
      return byDay.get(day) ?? { day, orderCount: 0, revenueCents: 0 };
    });
    return { checkpoint, days };
  });
}
