'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { LocalTime } from './local-time';

const body = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontFamily: 'inherit' } as const;
/**
 * The text body with its web addresses as links, as a mail program shows them: a sign-in link is followed
 * from here. Only http(s) addresses become links.
 */
function TextWithLinks({ text }: { text: string }) {
  return text.split(/(https?:\/\/[^\s<>"]+)/).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part} rel="noreferrer">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

const frame = { width: '100%', height: '28rem', border: '1px solid var(--line)', borderRadius: '6px', background: 'var(--paper)' };

/**
 * One mail: its text body, and its HTML as the customer's mail program would show it. The HTML is rendered in
 * an iframe sandboxed with no permissions (no scripts, no forms, an origin of its own), so markup in a mail
 * can do nothing to this page.
 */
export function MailboxMessage({ messageId }: { messageId: string }) {
  const trpc = useTRPC();
  const { data: mail, error } = useQuery(trpc.mailbox.message.queryOptions({ messageId }));
  if (error) {
    return (
      <p className="notice" role="alert" style={{ alignSelf: 'start' }}>
        {error.data?.code === 'NOT_FOUND' ? 'There is no such mail in the mailbox.' : error.message}{' '}
        <Link href="/mailbox">Back to the mailbox</Link>
      </p>
    );
  }
  if (!mail) return <p>Loading…</p>;
  return (
    <article aria-labelledby="mailbox-message-subject" className="card" style={{ alignSelf: 'start', minWidth: 0 }}>
      <h2 id="mailbox-message-subject" style={{ margin: 0, overflowWrap: 'anywhere' }}>
        {mail.subject}
      </h2>
      <p className="stock" style={{ margin: 0, overflowWrap: 'anywhere' }}>
        To {mail.to} · <LocalTime iso={mail.sentAt} /> · {mail.kind}
        {mail.orderId && (
          <>
            {' · '}
            <Link href={`/orders/${mail.orderId}`}>order #{mail.orderId.slice(0, 8)}</Link>
          </>
        )}
      </p>
      <h3 style={{ margin: '0.75rem 0 0', fontSize: '1rem' }}>Text</h3>
      <pre style={body} aria-label="Text body">
        <TextWithLinks text={mail.text} />
      </pre>
      <details>
        <summary>HTML version</summary>
        <iframe sandbox="" srcDoc={mail.html} title={`HTML version of “${mail.subject}”`} style={frame} />
      </details>
    </article>
  );
}
