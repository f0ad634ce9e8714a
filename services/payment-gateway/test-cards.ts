/**
 * The cards the simulator knows. A card number selects what the gateway does with it, like the test cards of
 * real gateways, so the shop's checkout can provoke every outcome (declines, a timeout, a lost answer) on purpose.
 * Any other number that passes the Luhn check is approved.
 */

/** What a token's charges do; stored with the token, so the card number itself need not be. */
export type CardBehaviour =
  | 'approve'
  | 'insufficient_funds'
  | 'card_expired'
  | 'timeout'
  | 'lost_answer'
  | 'flagged';

export const cardBehaviours: readonly CardBehaviour[] = [
  'approve',
  'insufficient_funds',
  'card_expired',
  'timeout',
  'lost_answer',
  'flagged',
];

export type TestCard = {
  /** As a customer would type it, in groups of four. */
  readonly number: string;
  readonly label: string;
  /** What happens to a charge with it, for the checkout page and the docs. */
  readonly outcome: string;
  readonly behaviour: CardBehaviour;
};

export const testCards: readonly TestCard[] = [
  {
    number: '4242 4242 4242 4242',
    label: 'Approved',
    outcome: 'The charge is captured.',
    behaviour: 'approve',
  },
  {
    number: '4000 0000 0000 9995',
    label: 'Insufficient funds',
    outcome: 'The charge is declined: insufficient_funds.',
    behaviour: 'insufficient_funds',
  },
  {
    number: '4000 0000 0000 0069',
    label: 'Expired card',
    outcome: 'The charge is declined: card_expired.',
    behaviour: 'card_expired',
  },
  {
    number: '4000 0000 0000 0119',
    label: 'Gateway timeout',
    outcome: 'The gateway never answers (504 after a long hold); nothing is charged.',
    behaviour: 'timeout',
  },
  {
    number: '4000 0000 0000 0259',
    label: 'Answer lost',
    outcome: 'The charge is captured but the first answer is lost; a retry with the same key returns it.',
    behaviour: 'lost_answer',
  },
  {
    number: '4100 0000 0000 0019',
    label: 'Suspicious',
    outcome: 'Tokenizing reports riskLevel "elevated"; the charge is approved, so only a fraud check stops it.',
    behaviour: 'flagged',
  },
];

const byDigits = new Map(testCards.map((card) => [card.number.replaceAll(' ', ''), card.behaviour]));

/** The behaviour a card number (digits only) selects. */
export function behaviourOf(digits: string): CardBehaviour {
  return byDigits.get(digits) ?? 'approve';
}
