import { createHash } from 'node:crypto';
import type { Mail } from '@/reactors/notifications/mailer';
import { signInLink } from '@/reactors/notifications/templates';

export const magicLinkValidMinutes = 15;

/**
 * The mail that carries a magic link. Its message id is derived from the token (hashed: the id is stored and
 * shown, the token must not be), so a link sent again is one mail.
 */
export function magicLinkMail({ email, url, token }: { email: string; url: string; token: string }): Mail {
  const rendered = signInLink({ url, validMinutes: magicLinkValidMinutes });
  const tokenHash = createHash('sha256').update(token).digest('hex').slice(0, 32);
  return {
    ...rendered,
    messageId: `<sign-in-${tokenHash}@hindsight.shop>`,
    to: { name: email, address: email },
    kind: 'sign-in-link',
    orderId: null,
  };
}
