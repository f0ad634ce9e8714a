import { ValidationError } from './errors';

/** Defence in depth: the API validates input too, but a decider must never record a broken number. */
export function requirePositiveInteger(value: number, message: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new ValidationError(message);
}

export function requireNonNegativeInteger(value: number, message: string): void {
  if (!Number.isInteger(value) || value < 0) throw new ValidationError(message);
}

export const invalidPriceMessage = 'The price must be a whole number of cents greater than zero.';
export const invalidQuantityMessage = 'The quantity must be a whole number greater than zero.';
