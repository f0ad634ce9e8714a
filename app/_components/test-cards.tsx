'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';
import { readableError } from './format';

/**
 * The payment gateway simulator's test cards: each number provokes one outcome (a decline, a timeout, a lost
 * answer), so a shopper can watch the order page handle it. "Use" puts the number in the card form.
 */
export function TestCards({ onUse }: { onUse: (number: string) => void }) {
  const trpc = useTRPC();
  // The list is fixed for as long as the shop runs.
  const { data: cards, error } = useQuery({ ...trpc.payments.testCards.queryOptions(), staleTime: Infinity });
  return (
    <section className="test-cards" aria-labelledby="test-cards-heading">
      <h2 id="test-cards-heading">Test cards</h2>
      <p className="stock">Each number makes the payment gateway behave in its own way. Any future expiry and any security code will do.</p>
      {error ? (
        <p className="error" role="alert">
          {readableError(error)}
        </p>
      ) : !cards ? (
        <p className="stock">Loading the test cards…</p>
      ) : (
        <ul className="test-card-list" aria-labelledby="test-cards-heading">
          {cards.map((card) => (
            <li key={card.number}>
              <div>
                <code className="card-number">{card.number}</code> <strong>{card.label}</strong>
                <br />
                <span className="stock">{card.outcome}</span>
              </div>
              <button type="button" className="secondary" onClick={() => onUse(card.number)}>
                Use<span className="visually-hidden"> the {card.label} card</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
