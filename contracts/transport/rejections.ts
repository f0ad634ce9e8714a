import { encode, type OutgoingMessage, type WireMessage } from '../messages';
import type { Subjects } from '../subjects';

/** One message refused for what it is, not for the state of the broker: sending it again fails again. */
export type MessageRejection = { readonly id: string; readonly reason: string };

/**
 * A publish that failed only because some messages were refused for good: one breaks its contract (nothing was
 * sent), or the broker refused it (JetStream answered 400, such as a message over the stream's size limit; the
 * others were stored). A broker that is down, slow or not set up yet is a different error, which a producer
 * answers by publishing again: the relay (integration/relay.ts) tells them apart by this class.
 */
export class MessagesRejectedError extends Error {
  override name = 'MessagesRejectedError';
  constructor(readonly rejections: readonly MessageRejection[]) {
    const first = rejections[0];
    const more = rejections.length > 1 ? ` (and ${rejections.length - 1} more)` : '';
    super(`Message ${first?.id ?? '?'} was refused: ${first?.reason ?? 'no reason given'}${more}`);
  }
}

/**
 * Every message encoded against its contract before the first is sent, so a message that breaks its contract
 * sends none of them: the error names each such message, and why.
 */
export function encodeAll(subjects: Subjects, messages: readonly OutgoingMessage[]): WireMessage[] {
  const rejections: MessageRejection[] = [];
  const wires = messages.flatMap((message) => {
    try {
      return [encode(subjects, message)];
    } catch (error) {
      rejections.push({ id: message.id, reason: `it breaks the ${message.contract} contract: ${contractIssues(error)}` });
      return [];
    }
  });
  if (rejections.length > 0) throw new MessagesRejectedError(rejections);
  return wires;
}

/** A zod error's first issues as `path: message`; anything else by its message. */
function contractIssues(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (Array.isArray(issues)) {
    return issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`)
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
