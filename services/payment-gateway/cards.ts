import type { TokenizeRequest } from './contract';
import { behaviourOf, type CardBehaviour } from './test-cards';

/** What the gateway keeps of a card: never the number or the cvc, which it only checks. */
export type CheckedCard = {
  readonly last4: string;
  readonly brand: string;
  readonly expMonth: number;
  /** Four digits: 2030, not 30. */
  readonly expYear: number;
  readonly behaviour: CardBehaviour;
};

export type CardProblem = {
  readonly code: 'invalid_number' | 'invalid_expiry' | 'expired_card' | 'invalid_cvc';
  readonly message: string;
};

/** The Luhn checksum every card number carries, which catches a mistyped digit and most swapped pairs. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    const digit = Number(digits[digits.length - 1 - index]);
    const doubled = index % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}

export function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^(5[1-5]|222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65)/.test(digits)) return 'discover';
  return 'unknown';
}

/**
 * A card is good through the last day of its expiry month, in UTC: the gateway's clock, not the customer's. Two-digit
 * years are this century's, as on every card in circulation.
 */
function parseExpiry(expiry: string, now: Date): CardProblem | { expMonth: number; expYear: number } {
  const match = /^(0[1-9]|1[0-2])\/([0-9]{2})$/.exec(expiry.trim());
  if (!match) return { code: 'invalid_expiry', message: 'The expiry must be MM/YY, such as 04/30.' };
  const expMonth = Number(match[1]);
  const expYear = 2000 + Number(match[2]);
  if (hasExpired({ expMonth, expYear }, now)) {
    return { code: 'expired_card', message: 'The expiry date is in the past.' };
  }
  return { expMonth, expYear };
}

/** Checks a card as typed (spaces allowed in the number) and keeps what the gateway may store. */
export function checkCard(card: TokenizeRequest, now: Date): CardProblem | CheckedCard {
  const digits = card.number.replaceAll(' ', '');
  if (!/^[0-9]{12,19}$/.test(digits)) {
    return { code: 'invalid_number', message: 'The card number must be 12 to 19 digits (spaces allowed).' };
  }
  if (!passesLuhn(digits)) {
    return { code: 'invalid_number', message: 'The card number is not valid (Luhn check failed).' };
  }
  const expiry = parseExpiry(card.expiry, now);
  if ('code' in expiry) return expiry;
  if (!/^[0-9]{3,4}$/.test(card.cvc)) return { code: 'invalid_cvc', message: 'The cvc must be 3 or 4 digits.' };
  return { last4: digits.slice(-4), brand: brandOf(digits), ...expiry, behaviour: behaviourOf(digits) };
}

/** Whether a stored expiry has passed by `now`, for a token charged months after it was made. */
export function hasExpired(card: { expMonth: number; expYear: number }, now: Date): boolean {
  return card.expYear * 12 + (card.expMonth - 1) < now.getUTCFullYear() * 12 + now.getUTCMonth();
}
