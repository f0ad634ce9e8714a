import { describe, expect, it } from 'vitest';
import { compareLogPositions, decodeToken, encodeToken, hasReached, logStart } from './log-position';

const at = (transactionId: number, position: number) => ({ transactionId, position });

describe('log positions', () => {
  it('order by transaction first: a later transaction is later even at a lower position', () => {
    // Positions are handed out before commit, so a transaction that commits later can hold a lower position.
    expect(compareLogPositions(at(8, 3), at(7, 40))).toBeGreaterThan(0);
    expect(compareLogPositions(at(7, 40), at(8, 3))).toBeLessThan(0);
  });

  it('order by position within one transaction, and are equal only when both match', () => {
    expect(compareLogPositions(at(7, 41), at(7, 40))).toBeGreaterThan(0);
    expect(compareLogPositions(at(7, 40), at(7, 41))).toBeLessThan(0);
    expect(compareLogPositions(at(7, 40), at(7, 40))).toBe(0);
  });

  it('say a reader has reached an event at or after it, never before', () => {
    expect(hasReached(at(7, 40), at(7, 40))).toBe(true);
    expect(hasReached(at(7, 41), at(7, 40))).toBe(true);
    expect(hasReached(at(8, 1), at(7, 40))).toBe(true);
    expect(hasReached(at(7, 39), at(7, 40))).toBe(false);
    expect(hasReached(at(6, 99), at(7, 40))).toBe(false);
    expect(hasReached(logStart, at(0, 1))).toBe(false);
    expect(logStart).toEqual(at(0, 0));
  });
});

describe('consistency tokens', () => {
  it('travel as "transactionId.position" and read back as the same place', () => {
    expect(encodeToken(at(1234, 56))).toBe('1234.56');
    expect(decodeToken('1234.56')).toEqual(at(1234, 56));
    expect(decodeToken(encodeToken(logStart))).toEqual(logStart);
  });

  it('read as nothing when they are not exactly two whole numbers of at most 15 digits', () => {
    // 15 digits stay exact in a JavaScript number; anything longer could silently round to another place.
    expect(decodeToken('999999999999999.1')).toEqual(at(999_999_999_999_999, 1));
    for (const text of ['', '12', '12.', '.5', '1.2.3', '-1.2', '1.-2', '1.5e3', ' 1.2', '1.2 ', 'a1.2', '1.2b', '1,2', '1000000000000000.1', '1.1000000000000000']) {
      expect(decodeToken(text), JSON.stringify(text)).toBeNull();
    }
  });
});
