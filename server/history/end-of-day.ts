import { ValidationError } from '@/domain';

/**
 * The last instant of a day (`YYYY-MM-DD`) in UTC, the zone the shop shows its times and groups its days in.
 * A day after today's has no history yet, and is refused.
 */
export function endOfDay(day: string, now: Date): Date {
  if (day > now.toISOString().slice(0, 10)) throw new ValidationError('Pick a day up to today.');
  return new Date(`${day}T23:59:59.999Z`);
}
