import { desc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { mailboxMessages, type MailboxMessage } from './schema';

/** What the /mailbox page asks of the development mailbox. */

export type MailboxEntry = Pick<MailboxMessage, 'messageId' | 'to' | 'subject' | 'kind' | 'orderId' | 'sentAt'>;

/** The newest mail first; ties (one batch stores several mails in the same instant) by message id, so the order is stable. */
export async function listMailbox(orm: Orm, limit = 100, to?: string): Promise<MailboxEntry[]> {
  return orm
    .select({
      messageId: mailboxMessages.messageId,
      to: mailboxMessages.to,
      subject: mailboxMessages.subject,
      kind: mailboxMessages.kind,
      orderId: mailboxMessages.orderId,
      sentAt: mailboxMessages.sentAt,
    })
    .from(mailboxMessages)
    .where(to === undefined ? undefined : eq(mailboxMessages.to, to))
    .orderBy(desc(mailboxMessages.sentAt), desc(mailboxMessages.messageId))
    .limit(limit);
}

export async function readMailboxMessage(orm: Orm, messageId: string): Promise<MailboxMessage | null> {
  const [row] = await orm.select().from(mailboxMessages).where(eq(mailboxMessages.messageId, messageId));
  return row ?? null;
}
