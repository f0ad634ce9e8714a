import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for tests, on 127.0.0.1: it accepts every mail (no auth, no TLS), parses it with
 * mailparser and keeps it in `messages`. Plain Node, no vitest, so the Playwright suite can start one too.
 */

/** A received mail, in the few fields tests look at; `parsed` has the rest. */
export type ReceivedMail = {
  readonly messageId: string | undefined;
  /** The envelope's recipients (RCPT TO), lower-cased addresses. */
  readonly recipients: readonly string[];
  /** The To header's addresses. */
  readonly to: readonly string[];
  readonly from: string | undefined;
  readonly subject: string | undefined;
  readonly text: string | undefined;
  readonly html: string | undefined;
  /** A header, by lower-case name (`x-hindsight-kind`); its value as text. */
  readonly header: (name: string) => string | undefined;
  readonly parsed: ParsedMail;
};

export type SmtpListener = {
  /** `smtp://127.0.0.1:<port>`, for `smtpMailer` or SMTP_URL. */
  readonly url: string;
  readonly port: number;
  /** Every mail received so far, in the order the server accepted them. */
  readonly messages: readonly ReceivedMail[];
  /** Resolves with the first mail (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Stops listening (open connections get a second to finish); afterwards a client's connection is refused. */
  close(): Promise<void>;
};

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

function received(parsed: ParsedMail, recipients: string[]): ReceivedMail {
  return {
    messageId: parsed.messageId,
    recipients,
    to: addresses(parsed.to),
    from: addresses(parsed.from)[0],
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    header(name) {
      const value = parsed.headers.get(name.toLowerCase());
      return value === undefined ? undefined : String(value);
    },
    parsed,
  };
}

/**
 * Starts a listener on an ephemeral port, or on `port` (e.g. the port of one closed earlier, to bring
 * "the same server" back up).
 */
export async function startSmtpListener(options: { port?: number } = {}): Promise<SmtpListener> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<(mail: ReceivedMail) => void>();
  const server = new SMTPServer({
    authOptional: true,
    secure: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A test closes the server to see the shop fail; one second is plenty for a mail in flight to finish.
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
      simpleParser(stream).then(
        (parsed) => {
          const mail = received(parsed, recipients);
          messages.push(mail);
          for (const waiter of waiters) waiter(mail);
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail arrived within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
