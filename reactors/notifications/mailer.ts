import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Orm } from '@/db/client';
import { mailboxMessages } from './schema';

/**
 * Where the shop's mail goes: an SMTP server (SMTP_URL), or the development mailbox (the /mailbox page).
 * Both build the message with nodemailer, from the same fields, so what the mailbox shows is what an SMTP
 * server would have received.
 */

export type MailAddress = { readonly name: string; readonly address: string };

export type Mail = {
  /** `<…@hindsight.shop>`, derived from the event the mail is about: a mail sent again carries the same id. */
  readonly messageId: string;
  readonly to: MailAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Which notification it is (`order-confirmation`, …); sent as the `X-Hindsight-Kind` header. */
  readonly kind: string;
  readonly orderId: string | null;
};

export type Mailer = {
  /** Resolves once the mail was accepted (by the SMTP server, or stored); rejects otherwise. */
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
};

function message(mail: Mail, from: string): SendMailOptions {
  return {
    from,
    to: { name: mail.to.name, address: mail.to.address },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'X-Hindsight-Kind': mail.kind, ...(mail.orderId ? { 'X-Hindsight-Order-Id': mail.orderId } : {}) },
  };
}

/**
 * Sends through the SMTP server at `url` (smtp://user:pass@host:port). One connection per mail: the reactor
 * sends a few mails per batch, and without a pool there is no idle connection for a server to drop.
 *
 * The timeouts are far below nodemailer's defaults (two minutes to connect, ten of silence): a server that
 * hangs must fail the batch within seconds, so the engine retries it and the Status page says why, instead
 * of the reactor waiting minutes on one mail. Settings in the URL's query string still win.
 */
export function smtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail(message(mail, options.from));
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * Stores mail in `mailbox_messages` for the /mailbox page (no SMTP server configured). nodemailer's JSON
 * transport builds the message (it parses the addresses and sets the Message-ID as a server would receive
 * it) without sending it anywhere; the row is keyed by that Message-ID, so a mail sent again after a crash
 * (the same event, so the same id) is stored once and keeps its first `sent_at`.
 */
export function mailboxMailer(orm: Orm, options: { from: string }): Mailer {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(mail) {
      const built = await transport.sendMail(message(mail, options.from));
      await orm
        .insert(mailboxMessages)
        .values({
          messageId: built.messageId,
          to: built.envelope.to.join(', '),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          kind: mail.kind,
          orderId: mail.orderId,
        })
        .onConflictDoNothing({ target: mailboxMessages.messageId });
    },
    async close() {
      transport.close();
    },
  };
}
