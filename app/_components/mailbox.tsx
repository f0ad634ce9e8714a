'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { LocalTime } from './local-time';
import { MailboxMessage } from './mailbox-message';
import { QueryStates } from './query-states';

/** A list beside the open mail on a wide screen, one above the other on a phone. */
const columns = { display: 'grid', gap: '1.5rem', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 20rem), 1fr))' };
const mailList = { listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '0.5rem' };
const mailLink = { display: 'block', color: 'var(--ink)', overflowWrap: 'anywhere' } as const;

/** Mail arrives a moment after the event it is about (the reactor follows the log), so the list polls. */
export function Mailbox({ selected }: { selected: string | null }) {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.mailbox.list.queryOptions(), refetchInterval: 2_000 });
  const { data: access } = useQuery(trpc.mailbox.access.queryOptions());
  return (
    <>
      <h1>Mailbox</h1>
      <p className="stock">
        This is the development mailbox: the shop&apos;s mail lands here when no SMTP server is configured (SMTP_URL).        {access?.everyone === false
          ? ' It shows the newest 100 mails to you (staff see every mail), and updates by itself.'
          : ' This is a development shop, so it shows everyone the newest 100 mails, sign-in links included, and updates by itself.'}
      </p>
      <QueryStates query={{ data, error }} isEmpty={(loaded) => loaded.messages.length === 0} empty="No mail yet. Place an order and its confirmation arrives here.">
        {(data) => (
          <div style={columns}>
            <section aria-labelledby="mailbox-list-heading">
              <h2 id="mailbox-list-heading">Received mail</h2>
              <ul aria-label="Mail" style={mailList}>
                {data.messages.map((mail) => {
                  const open = mail.messageId === selected;
                  return (
                    <li key={mail.messageId} className="card" style={open ? { borderColor: 'var(--accent)' } : undefined}>
                      <Link href={`/mailbox?message=${encodeURIComponent(mail.messageId)}`} aria-current={open ? 'true' : undefined} style={mailLink}>
                        <strong>{mail.subject}</strong>
                        <span className="stock" style={{ display: 'block' }}>
                          To {mail.to} · <LocalTime iso={mail.sentAt} />
                        </span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </section>
            {selected ? (
              <MailboxMessage messageId={selected} />
            ) : (
              <p className="notice" style={{ alignSelf: 'start' }}>
                Pick a mail to read it.
              </p>
            )}
          </div>
        )}
      </QueryStates>
    </>
  );
}
