import type { RouterOutputs } from '../_trpc/types';
import { LocalTime } from './local-time';

type Step = NonNullable<RouterOutputs['orders']['detail']['order']>['progress'][number];

/** Steps that went wrong, and steps that ended well, have a mark of their own. */
const tone: Partial<Record<Step['step'], 'bad' | 'good'>> = {
  'fraud-check-rejected': 'bad',
  'payment-declined': 'bad',
  'warehouse-delayed': 'bad',
  cancelled: 'bad',
  'needs-attention': 'bad',
  delivered: 'good',
  refunded: 'good',
};

/**
 * What happened to the order, in the shopper's words, oldest first. The order page refetches while the order
 * is still moving, so a new step appears here by itself; the list is a polite live region, so it is also read out.
 * Between the handover and the dispatch the order waits on the warehouse, a service of its own reached over
 * the broker (for minutes while the broker or the warehouse is down): the page says so.
 */
export function OrderProgress({ steps, live }: { steps: readonly Step[]; live: boolean }) {
  return (
    <section aria-labelledby="order-progress-heading">
      <h2 id="order-progress-heading">Progress</h2>
      {steps.length === 0 ? (
        <p className="stock">This order was placed before the shop took cards: its steps are on the timeline below.</p>
      ) : (
        <ol className="timeline progress" aria-labelledby="order-progress-heading" aria-live="polite">
          {steps.map((step) => (
            <li key={step.globalPosition} className={tone[step.step] ? `progress-${tone[step.step]}` : undefined}>
              <strong>{step.message}</strong>{' '}
              <span className="meta">
                <LocalTime iso={step.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {live && steps.at(-1)?.step === 'handed-to-warehouse' && (
        <p className="notice">Waiting for the warehouse to pick, pack and dispatch it.</p>
      )}
      {live && <p className="stock">This list follows the order by itself.</p>}
    </section>
  );
}
