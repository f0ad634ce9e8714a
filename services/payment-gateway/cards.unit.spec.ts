import { describe, expect, it } from 'vitest';
import { brandOf, checkCard, passesLuhn } from './cards';
import { testCards } from './test-cards';

const now = new Date('2026-06-15T12:00:00Z');

describe('cards', () => {
  it('passes every test card through the Luhn check, and fails a changed digit', () => {
    for (const card of testCards) expect(passesLuhn(card.number.replaceAll(' ', ''))).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
    expect(passesLuhn('4242424242424224')).toBe(false);
  });

  it('names the brand from the leading digits', () => {
    const numbers = ['4242424242424242', '5555555555554444', '2223003122003222', '378282246310005', '6011111111111117'];
    expect([...numbers, '9999'].map(brandOf)).toEqual(['visa', 'mastercard', 'mastercard', 'amex', 'discover', 'unknown']);
  });

  it('keeps the last four digits, the brand, the expiry and the behaviour, never the number or cvc', () => {
    const checked = checkCard({ number: '4000 0000 0000 9995', expiry: '06/26', cvc: '1234' }, now);
    expect(checked).toEqual({
      last4: '9995',
      brand: 'visa',
      expMonth: 6,
      expYear: 2026,
      behaviour: 'insufficient_funds',
    });
  });

  it('takes a card as good through the last day of its expiry month', () => {
    expect(checkCard({ number: '4242424242424242', expiry: '06/26', cvc: '123' }, now)).not.toHaveProperty('code');
    const lastMonth = checkCard({ number: '4242424242424242', expiry: '05/26', cvc: '123' }, now);
    expect(lastMonth).toMatchObject({ code: 'expired_card' });
  });

  it.each([
    ['4242 4242', 'invalid_number'],
    ['4242-4242-4242-4242', 'invalid_number'],
    ['１２３４５６７８９０１２', 'invalid_number'],
  ])('refuses the number %s', (number, code) => {
    expect(checkCard({ number, expiry: '12/30', cvc: '123' }, now)).toMatchObject({ code });
  });

  it.each(['1230', '00/30', '12/3', ' 12/30x', '12-30'])('refuses the expiry %j', (expiry) => {
    expect(checkCard({ number: '4242424242424242', expiry, cvc: '123' }, now)).toMatchObject({ code: 'invalid_expiry' });
  });

  it.each(['12', '12345', 'abc', ' 123'])('refuses the cvc %j', (cvc) => {
    expect(checkCard({ number: '4242424242424242', expiry: '12/30', cvc }, now)).toMatchObject({ code: 'invalid_cvc' });
  });
});
