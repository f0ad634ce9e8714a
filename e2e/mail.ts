import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { readonly to: string[]; readonly subject: string; readonly text: string };

/**
 * A real SMTP server on loopback that keeps what it receives: the full stack's worker sends the shop's mail
 * to it (SMTP_URL), so a test reads the mail a customer would get. No TLS, no authentication: it is the
 * suite's own, on 127.0.0.1 only.
 */
export class MailCatcher {
  readonly received: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          const to = session.envelope.rcptTo.map((recipient) => recipient.address);
          this.received.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The mails to `address` so far, subjects only, for a web-first `expect.poll`. */
  subjectsTo(address: string): string[] {
    return this.received.filter((mail) => mail.to.includes(address)).map((mail) => mail.subject);
  }
}
