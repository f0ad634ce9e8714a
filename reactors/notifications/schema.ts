import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The development mailbox: where mail goes when no SMTP server is configured (SMTP_URL unset), for a person
 * to read on the /mailbox page. Keyed by the message id, which is derived from the event the mail is about,
 * so a mail sent again after a crash is stored once.
 */
export const mailboxMessages = pgTable(
  'mailbox_messages',
  {
    messageId: text().primaryKey(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    /** Which notification it is (`order-confirmation`, `payment-failed`, …) and the order it is about. */
    kind: text().notNull(),
    orderId: text(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('mailbox_messages_sent_idx').on(table.sentAt), index('mailbox_messages_to_idx').on(table.to, table.sentAt)],
);

export type MailboxMessage = typeof mailboxMessages.$inferSelect;
