import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { lastDays, readSalesReport } from '@/projections/daily-sales/query';
import { staffProcedure } from '../trpc/init';

/** At most a year and a day: a leap year's every day, and enough for any year-on-year glance. */
const maxDays = 366;

const day = z.iso.date({ error: 'Please give a date as YYYY-MM-DD.' });

/** A range of UTC days, both included; without one, the last 30 days. */
const range = z
  .object({ from: day.optional(), to: day.optional() })
  .transform((given, context) => {
    const to = given.to ?? lastDays(1, new Date()).to;
    const from = given.from ?? lastDays(30, new Date(`${to}T00:00:00.000Z`)).from;
    if (from > to) {
      context.addIssue({ code: 'custom', message: 'The start date must not be after the end date.', path: ['to'] });
      return z.NEVER;
    }
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
    if (days > maxDays) {
      context.addIssue({ code: 'custom', message: `Please pick at most ${maxDays} days.`, path: ['from'] });
      return z.NEVER;
    }
    return { from, to };
  });

export const salesRouter = {
  /** Sales per day and per product over a range of days (UTC), for the back office. */
  report: staffProcedure.input(range).query(async ({ ctx, input }) => ({ ...(await readSalesReport(ctx.db.orm, input)), ...input })),
} satisfies TRPCRouterRecord;
