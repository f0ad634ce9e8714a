'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';
import { QueryStates } from './query-states';

const refreshEveryMs = 3_000;

/**
 * Integration events as the operator needs to see them: where they travel (NATS JetStream or inside the
 * process), whether the broker answers, and how many messages each consumer refused as breaking their
 * contract (dead letters, kept under `<prefix>.deadletter.<consumer>` with the reason in a header). How far
 * the relay is behind the log is its row in the consumer table.
 */
export function BrokerStatus() {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.operations.broker.queryOptions(), refetchInterval: refreshEveryMs });
  return (
    <section aria-labelledby="broker-heading">
      <h2 id="broker-heading">Integration events</h2>
      <QueryStates query={query} isEmpty={(stats) => stats === null} empty="This server carries no integration events.">
        {(stats) =>
          stats && (
            <>
              <p>
                {stats.kind === 'nats' ? (
                  <>
                    NATS JetStream, stream <code>{stats.stream}</code>:{' '}
                    {stats.connected ? `${(stats.messages ?? 0).toLocaleString('en-US')} messages stored.` : <span className="error">not reachable ({stats.problem}).</span>}
                  </>
                ) : (
                  <>In process (no broker configured): {(stats.messages ?? 0).toLocaleString('en-US')} messages since this server started.</>
                )}
              </p>
              {stats.warehouse && (
                <p className="stock">
                  Warehouse (in this process): {Object.entries(stats.warehouse.shipments)
                    .filter(([, count]) => count > 0)
                    .map(([status, count]) => `${count.toLocaleString('en-US')} ${status}`)
                    .join(' · ') || 'no shipments yet'}
                  {stats.warehouse.outbox.unpublished > 0 && ` · ${stats.warehouse.outbox.unpublished} answers waiting to be sent`}
                </p>
              )}
              {stats.connected &&
                (stats.deadLetters.length === 0 ? (
                  <p className="stock">No consumer has refused a message.</p>
                ) : (
                  <ul aria-label="Dead letters">
                    {stats.deadLetters.map((letter) => (
                      <li key={letter.consumer}>
                        <span className="error">
                          {letter.consumer} refused {letter.count === 1 ? '1 message' : `${letter.count.toLocaleString('en-US')} messages`}
                        </span>{' '}
                        as breaking their contract (dead letters).
                      </li>
                    ))}
                  </ul>
                ))}
            </>
          )
        }
      </QueryStates>
    </section>
  );
}
