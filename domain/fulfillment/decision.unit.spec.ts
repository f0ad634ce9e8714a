import { describe, expect, it } from 'vitest';
import { fold } from '../decider';
import { Decision, park, reasonText } from './decision';
import type { ActiveFulfillment } from './state';
import { captured, iso, orderId, policy, process, started } from './testing';

const decisionAt = (second: number) => new Decision(fold(process, started) as ActiveFulfillment, iso(second), policy);

describe('a decision', () => {
  it('keeps one live timer per name: scheduling it again cancels the one it replaces', () => {
    const d = decisionAt(5).schedule('handover', 1_000).schedule('handover', 2_000);
    expect(d.events.map((event) => event.type)).toEqual(['TimerScheduled', 'TimerCancelled', 'TimerScheduled']);
    expect(d.events[1]!.data).toMatchObject({ timerId: `${orderId}.2.handover`, name: 'handover' });
    expect(d.state.timers['handover']).toMatchObject({ timerId: `${orderId}.3.handover`, dueAt: new Date(Date.parse(iso(5)) + 2_000).toISOString() });
  });

  it('parks with a reason in words even when none was given, holding what staff resuming decides again', () => {
    const d = decisionAt(5);
    park(d, '  ', captured(5));
    expect(d.events.map((event) => [event.type, 'reason' in event.data ? event.data.reason : undefined])).toEqual([
      ['FulfillmentParked', 'Needs staff.'],
      ['FulfillmentInputHeld', undefined],
    ]);
  });
});

describe('reasonText', () => {
  it('trims a reason, and says the fallback for a blank one', () => {
    expect(reasonText('  Out of stock. ', 'Needs staff.')).toBe('Out of stock.');
    expect(reasonText(' \n ', 'Needs staff.')).toBe('Needs staff.');
  });

  it('keeps a reason of up to 500 characters whole, and cuts a longer one to 500 with an ellipsis', () => {
    // Reasons are stored in events whose schema caps them at 500 characters.
    expect(reasonText('a'.repeat(500), '')).toBe('a'.repeat(500));
    expect(reasonText('a'.repeat(501), '')).toBe(`${'a'.repeat(499)}…`);
    expect(reasonText('a'.repeat(501), '')).toHaveLength(500);
  });
});
