import { describe, expect, it } from 'vitest';
import { isBehind, laterToken } from './tokens';

describe('isBehind', () => {
  it('is behind while the read model has not applied the last command', () => {
    expect(isBehind('7.39', '7.40')).toBe(true);
    expect(isBehind('6.99', '7.40')).toBe(true);
  });

  it('has caught up at the command itself and anywhere after it', () => {
    expect(isBehind('7.40', '7.40')).toBe(false);
    expect(isBehind('7.41', '7.40')).toBe(false);
    // A later transaction may hold a lower position: the transaction decides.
    expect(isBehind('8.3', '7.40')).toBe(false);
  });

  it('is never behind without a token, a checkpoint, or with either unreadable', () => {
    expect(isBehind('7.39', null)).toBe(false);
    expect(isBehind('7.39', '')).toBe(false);
    expect(isBehind(null, '7.40')).toBe(false);
    expect(isBehind(undefined, '7.40')).toBe(false);
    expect(isBehind('', '7.40')).toBe(false);
    expect(isBehind('seven', '7.40')).toBe(false);
    expect(isBehind('7.39', 'seven')).toBe(false);
  });
});

describe('laterToken', () => {
  it('keeps the later of two tokens, whichever arrives first', () => {
    expect(laterToken('7.40', '7.41')).toBe('7.41');
    expect(laterToken('7.41', '7.40')).toBe('7.41');
    expect(laterToken('7.40', '8.3')).toBe('8.3');
    expect(laterToken('8.3', '7.40')).toBe('8.3');
  });

  it('keeps the current token when the next one names the same place', () => {
    // Only a strictly later token replaces the current one ("7.040" is the place "7.40" names).
    expect(laterToken('7.40', '7.040')).toBe('7.40');
    expect(laterToken('7.40', '7.40')).toBe('7.40');
  });

  it('takes the first token the browser gets, and never lets an unreadable one replace a readable one', () => {
    expect(laterToken(null, '7.40')).toBe('7.40');
    expect(laterToken('garbage', '7.40')).toBe('7.40');
    expect(laterToken('7.40', null)).toBe('7.40');
    expect(laterToken('7.40', '')).toBe('7.40');
    expect(laterToken('7.40', 'garbage')).toBe('7.40');
    expect(laterToken(null, null)).toBeNull();
  });
});
