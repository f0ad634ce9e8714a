import { z } from 'zod';
import { DailySales } from '../../../_components/daily-sales';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

const day = z.iso.date().optional().catch(undefined);
const rangeSchema = z.object({ from: day, to: day });

/** The longest range the report answers; a longer one from the URL is cut to its last days. */
const maxDays = 366;

export default async function BackOfficeSalesPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireStaff();
  const given = rangeSchema.parse(await searchParams);
  // A hand-edited URL is mended rather than refused: a start alone ends today (as the report's default end
  // does), an inverted range is swapped, an over-long one shortened.
  const end = given.from && !given.to ? new Date().toISOString().slice(0, 10) : given.to;
  let [from, to] = given.from && end && given.from > end ? [end, given.from] : [given.from, end];
  if (from && to && Date.parse(to) - Date.parse(from) >= maxDays * 86_400_000) {
    from = new Date(Date.parse(to) - (maxDays - 1) * 86_400_000).toISOString().slice(0, 10);
  }
  const range = { from, to };
  prefetch(trpc.sales.report.queryOptions(range));
  return (
    <HydrateClient>
      <DailySales range={range} />
    </HydrateClient>
  );
}
