import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { id, instant, type EventVersions } from '../schema';

/**
 * Durable timers (docs/fulfillment.md). A process schedules a timer by recording `TimerScheduled` among its
 * own events, so the timer commits with the decision that wanted it, and cancels one the same way. When it is
 * due, the timer service records `TimerElapsed` as the only event of the stream `timer-<timerId>`: a stream
 * that can be created once, so a timer fires exactly once however many instances race for it.
 */
export const timerEventTypes = ['TimerScheduled', 'TimerCancelled', 'TimerElapsed'] as const;

const timerFields = {
  timerId: z.string().min(1).max(200),
  /** Which kind of process set it (`fulfillment`), and which instance (the order id). */
  process: z.string().min(1).max(60),
  processId: id,
  /** What the process waits for: `payment-deadline`, `carrier-delivery`, … */
  name: z.string().min(1).max(60),
  dueAt: instant,
};

const timerScheduledV1 = z.strictObject({ ...timerFields, scheduledAt: instant });
const timerCancelledV1 = z.strictObject({ ...timerFields, cancelledAt: instant });
const timerElapsedV1 = z.strictObject({ ...timerFields, elapsedAt: instant });

export type TimerScheduled = DomainEvent<'TimerScheduled', z.infer<typeof timerScheduledV1>>;
export type TimerCancelled = DomainEvent<'TimerCancelled', z.infer<typeof timerCancelledV1>>;
export type TimerElapsed = DomainEvent<'TimerElapsed', z.infer<typeof timerElapsedV1>>;
export type TimerEvent = TimerScheduled | TimerCancelled | TimerElapsed;

export const timerStreamId = (timerId: string): string => `timer-${timerId}`;

/** Every stored version of each timer event (docs/event-versioning.md). */
export const timerEventSchemas = {
  TimerScheduled: [{ schema: timerScheduledV1 }],
  TimerCancelled: [{ schema: timerCancelledV1 }],
  TimerElapsed: [{ schema: timerElapsedV1 }],
} as const satisfies Record<TimerEvent['type'], EventVersions>;
