import { describe, expect, it } from 'vitest';
import { dollarsOf, parseDollars } from './back-office-price';

describe('parseDollars', () => {
  it.each([
    ['12', 1_200],
    ['12.5', 1_250],
    ['12.50', 1_250],
    ['$12.50', 1_250],
    [' 1,299.00 ', 129_900],
    ['0.29', 29],
    ['.5', 50],
    ['0.01', 1],
    ['12.', 1_200],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseDollars(text)).toEqual({ cents });
  });

  it.each([
    ['', 'Please give a price.'],
    ['   ', 'Please give a price.'],
    ['-5', 'The price must be at least $0.01.'],
    ['0', 'The price must be at least $0.01.'],
    ['0.00', 'The price must be at least $0.01.'],
    ['12.505', 'Please give the price in dollars and cents, like 12.50.'],
    ['twelve', 'Please give the price in dollars and cents, like 12.50.'],
    ['1e3', 'Please give the price in dollars and cents, like 12.50.'],
    ['1234567890', 'Please give the price in dollars and cents, like 12.50.'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseDollars(text)).toEqual({ error });
  });

  it('reads back what dollarsOf writes', () => {
    for (const cents of [1, 29, 1_250, 129_900, 99_999_999]) expect(parseDollars(dollarsOf(cents))).toEqual({ cents });
  });
});
