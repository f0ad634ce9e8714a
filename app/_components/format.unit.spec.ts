import { describe, expect, it } from 'vitest';
import { formatDateTime, formatLocalDateTime, readableError } from './format';

describe('times', () => {
  const at = new Date('2025-03-01T23:30:15.000Z');

  it('says a moment in UTC, the zone the daily sales count days in', () => {
    expect(formatDateTime(at)).toBe('1 Mar 2025, 23:30:15 UTC');
  });

  it('says the same moment on the reader’s clock, naming the zone', () => {
    expect(formatLocalDateTime(at, { locale: 'en-GB', timeZone: 'Europe/Amsterdam' })).toBe('2 Mar 2025, 00:30 CET');
    expect(formatLocalDateTime(at, { locale: 'en-US', timeZone: 'America/New_York', seconds: true })).toBe(
      'Mar 1, 2025, 06:30:15 PM EST',
    );
  });
});

describe('errors', () => {
  const refused = (...issues: { path: string; message: string }[]) => ({
    message: JSON.stringify(issues.map((issue) => ({ code: 'custom', ...issue, path: issue.path.split('.') })), null, 2),
    data: { issues },
  });

  it("says zod's own messages as sentences about the field", () => {
    expect(readableError(refused({ path: 'quantity', message: 'Too big: expected number to be <=99' }))).toBe(
      'Quantity may be at most 99.',
    );
    expect(readableError(refused({ path: 'productId', message: 'Invalid UUID' }))).toBe('Product id is not valid.');
    expect(readableError(refused({ path: 'sort', message: 'Invalid option: expected one of "name"|"price_asc"' }))).toBe(
      'Sort must be one of name, price_asc.',
    );
    expect(readableError(refused({ path: 'lines.0.name', message: 'Too small: expected string to have >=1 characters' }))).toBe(
      'Name may not be empty.',
    );
    expect(readableError(refused({ path: '', message: 'Invalid input: expected object, received undefined' }))).toBe(
      'The request is missing.',
    );
  });

  it('keeps the messages written for people, once each', () => {
    const city = { path: 'shippingAddress.city', message: 'Please enter the city.' };
    expect(readableError(refused(city, city, { path: 'card.cvc', message: 'Please enter the 3 or 4 digit security code' }))).toBe(
      'Please enter the city. Please enter the 3 or 4 digit security code.',
    );
  });

  it('never shows machine data, and passes on every other message as the server wrote it', () => {
    expect(readableError({ message: '[\n  {\n    "code": "too_big"\n  }\n]' })).toBe(
      'Something in that request was not accepted. Please try again.',
    );
    expect(readableError({ message: 'Only 3 of Blue Mug left in stock.', data: { issues: null } })).toBe(
      'Only 3 of Blue Mug left in stock.',
    );
  });
});
