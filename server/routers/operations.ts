import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { pauseConsumer, resumeConsumer } from '@/db/consumers';
import { readHorizon } from '@/db/event-store/horizon';
import { resumeFulfillment, type ResumeFulfillment } from '@/processes/fulfillment/resume';
import { countProcessesByStatus, listParkedProcesses } from '@/projections/fulfillment-processes/query';
import { readLagChart, readProjectionStatus } from '@/projections/status';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { brokerStats } from '../broker';
import { fulfillmentPolicy } from '../fulfillment-policy';
import { staffCommandProcedure, staffProcedure, type Context } from '../trpc/init';

const orderId = z.uuid({ error: 'That is not an order number.' });
const consumer = z.string().trim().min(1, 'Which consumer?').max(200, 'That is not a consumer name.');

/** Resumes the order's process, which decides with the worker's policy under the staff command's envelope. */
function resume(ctx: Pick<Context, 'store'> & { envelope: CommandEnvelope }, command: ResumeFulfillment) {
  return resumeFulfillment(ctx.store, fulfillmentPolicy(), ctx.envelope, command);
}

/**
 * What the operator watches and does, in the back office: staff only. A retry or cancel is recorded as the
 * staff member's (`staff:<id>`), so the process's stream says who resumed it.
 */
export const operationsRouter = {
  /** Every projection's checkpoint, backlog and failed documents, and whether search answers and takes writes. */
  status: staffProcedure.query(({ ctx }) => readProjectionStatus(ctx.db.orm, ctx.search)),

  /**
   * The consumers' lag over the last hour, sampled by the instances that run them: every consumer a point a
   * minute, or, given `consumer`, that one at every sample (10 s). A consumer without samples has no entry.
   */
  lagHistory: staffProcedure
    .input(z.object({ consumer: consumer.optional() }))
    .query(({ ctx, input }) => readLagChart(ctx.db.orm, input.consumer)),

  /**
   * The broker as the shop sees it: which transport, the stream's size and the messages consumers refused
   * (dead letters), by consumer. Null when this server carries no integration events and has no broker to ask.
   * A broker that cannot be reached is an answer (`connected: false`, with why), not an error.
   */
  broker: staffProcedure.query(() => brokerStats()),

  /**
   * What holds the log's readers back: the running transactions that may still append, oldest first, with
   * their session (process, age, statement), and a warning when the oldest has held for seconds
   * (`horizonWarnMs`).
   */
  horizon: staffProcedure.query(({ ctx }) => readHorizon(ctx.db.sql)),

  /** The fulfillment processes waiting for staff to retry or cancel them, longest waiting first. */
  parkedProcesses: staffProcedure.query(({ ctx }) => listParkedProcesses(ctx.db.orm)),

  /** How many fulfillment processes are in each status; a parked one counts as `parked`. */
  processCounts: staffProcedure.query(({ ctx }) => countProcessesByStatus(ctx.db.orm)),

  /** Resumes a parked process: it sends its stuck request again and decides what arrived meanwhile. */
  retryFulfillment: staffCommandProcedure
    .input(z.object({ orderId }))
    .mutation(({ ctx, input }) => resume(ctx, { orderId: input.orderId, action: 'retry' })),

  /** Gives up on a parked process: the order is undone (refund, stock, cancellation) with this reason for the shopper. */
  cancelFulfillment: staffCommandProcedure
    .input(z.object({ orderId, reason: z.string().trim().min(1, 'Please give a reason.').max(500, 'Please keep the reason under 500 characters.') }))
    .mutation(({ ctx, input }) => resume(ctx, { orderId: input.orderId, action: 'cancel', reason: input.reason })),

  /**
   * Pauses a consumer on every instance until it is resumed: its holder stops after the batch in hand, within
   * a heartbeat. `paused: false` when no consumer has that name. A staffProcedure, not a staff command: it
   * appends no event and decides nothing of the domain; it sets the engine's own state, which is idempotent by
   * nature (pausing twice keeps the first pause), so it needs no idempotency key. The row names who paused it.
   */
  pauseConsumer: staffProcedure
    .input(z.object({ consumer }))
    .mutation(async ({ ctx, input }) => ({ paused: await pauseConsumer(ctx.db.orm, input.consumer, ctx.staff.name) })),

  /** Resumes a paused consumer: the next heartbeat of an instance that runs it takes it. `resumed: false` if it was not paused. */
  resumeConsumer: staffProcedure
    .input(z.object({ consumer }))
    .mutation(async ({ ctx, input }) => ({ resumed: await resumeConsumer(ctx.db.orm, input.consumer) })),
} satisfies TRPCRouterRecord;
