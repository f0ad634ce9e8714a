import type { Orm } from '@/db/client';
import { mailboxMailer, smtpMailer, type Mailer } from '@/reactors/notifications/mailer';
import { env } from './env';

/**
 * Mail by SMTP where SMTP_URL is set, otherwise into the development mailbox (the /mailbox page). The
 * notifications reactor sends through it, and so does sign-in (magic links).
 */
export function shopMailer(orm: Orm): Mailer {
  return env.SMTP_URL ? smtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) : mailboxMailer(orm, { from: env.MAIL_FROM });
}
