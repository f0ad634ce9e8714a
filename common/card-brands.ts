/** A card brand as the payment gateway names it (`visa`), in the words a shopper reads ("Visa"). */
const brandNames: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover' };

export const cardBrandName = (brand: string | null | undefined): string => brandNames[(brand ?? '').toLowerCase()] ?? 'Card';
