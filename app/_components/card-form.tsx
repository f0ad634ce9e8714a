'use client';

import type { RouterInputs } from '../_trpc/types';

export type CardInput = RouterInputs['cart']['checkOut']['card'];

export const emptyCard: CardInput = { number: '', expiry: '', cvc: '' };

const fields = [
  { name: 'number', label: 'Card number', autoComplete: 'cc-number', placeholder: '4242 4242 4242 4242' },
  { name: 'expiry', label: 'Expiry (MM/YY)', autoComplete: 'cc-exp', placeholder: 'MM/YY' },
  { name: 'cvc', label: 'Security code', autoComplete: 'cc-csc', placeholder: '123' },
] as const;

/**
 * The checkout's card. Its fields are controlled, so a test card picked from the list below the form fills them.
 * The server checks their shape and says what is wrong beside each field; whether the card is good is the
 * payment gateway's to say, and the card goes nowhere else: the order keeps the gateway's token.
 */
export function CardFields(props: {
  card: CardInput;
  onChange: (card: CardInput) => void;
  issues: readonly { path: string; message: string }[];
}) {
  const issueOf = (field: string) => props.issues.find((issue) => issue.path === `card.${field}`)?.message;
  return (
    <fieldset className="checkout-part" aria-describedby="card-note">
      <legend>Card</legend>
      <p className="stock" id="card-note">
        This shop is a demo: no real card is charged. Card details go to the payment gateway only; the shop keeps its
        token.
      </p>
      {fields.map((field) => {
        const issue = issueOf(field.name);
        const issueId = `card-${field.name}-issue`;
        return (
          <p key={field.name} className="field">
            <label htmlFor={`card-${field.name}`}>{field.label}</label>
            <input
              id={`card-${field.name}`}
              name={`card-${field.name}`}
              inputMode="numeric"
              autoComplete={field.autoComplete}
              placeholder={field.placeholder}
              required
              value={props.card[field.name]}
              onChange={(event) => props.onChange({ ...props.card, [field.name]: event.target.value })}
              aria-invalid={issue ? true : undefined}
              aria-describedby={issue ? issueId : undefined}
            />
            {issue && (
              <span id={issueId} className="field-issue">
                {issue}
              </span>
            )}
          </p>
        );
      })}
    </fieldset>
  );
}
