import { describe, expect, it } from 'vitest';
import { orderIdPrefix } from './query';

describe('orderIdPrefix', () => {
  it.each([
    ['3f2a', '3f2a'],
    [' 3F2A9B10 ', '3f2a9b10'],
    ['cacf933f-1b5c', 'cacf933f-1b5c'],
    ['cacf933f-1b5c-43ad-ab93-e343106dda6f', 'cacf933f-1b5c-43ad-ab93-e343106dda6f'],
  ])('reads %j as the start of an order number', (text, prefix) => {
    expect(orderIdPrefix(text)).toBe(prefix);
  });

  it.each(['', 'abc', 'mug', 'deadbeef tea', 'c%f_', `${'a'.repeat(37)}`, undefined])('does not read %j as one', (text) => {
    expect(orderIdPrefix(text)).toBeNull();
  });
});
