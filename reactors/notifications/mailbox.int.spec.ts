import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useShopDatabase } from '@/projections/testing';
import { createCaller } from '@/server/routers';
import { expectTRPCError } from '@/server/testing';
import { createTRPCContext } from '@/server/trpc/init';
import { mailboxMailer, type Mail } from './mailer';

/** The /mailbox page's API (`mailbox.list`, `mailbox.message`) over mail stored by the mailbox mailer. */
const ctx = useShopDatabase();

const api = () => createCaller(() => createTRPCContext({ headers: new Headers(), resHeaders: new Headers(), database: ctx }));

function aMail(key: string, kind: string): Mail {
  return {
    messageId: `<${randomUUID()}@hindsight.shop>`,
    to: { name: 'Ann <Example>', address: `ann.${key}@example.com` },
    subject: `Your order #${key} is confirmed`,
    text: 'Hello Ann,\n\nThank you.',
    html: '<!doctype html><p>Hello Ann,</p>',
    kind,
    orderId: `order-${key}`,
  };
}

describe('mailbox router', () => {
  it('lists the newest mail first, without bodies, and opens one in full', async () => {
    const key = randomUUID().slice(0, 8);
    const mailer = mailboxMailer(ctx.db.orm, { from: 'Hindsight <shop@hindsight.test>' });
    const [first, second] = [aMail(key, 'order-confirmation'), aMail(key, 'order-shipped')];
    await mailer.send(first);
    await mailer.send(second);
    // Sent again, as after a crash: stored once.
    await mailer.send(first);
    await mailer.close();

    const { messages } = await api().mailbox.list();
    const ours = messages.filter((mail) => mail.orderId === `order-${key}`);
    expect(ours.map((mail) => mail.messageId)).toEqual([second.messageId, first.messageId]);
    expect(ours[0]).toEqual({
      messageId: second.messageId,
      to: `ann.${key}@example.com`,
      subject: second.subject,
      kind: 'order-shipped',
      orderId: `order-${key}`,
      sentAt: expect.any(Date),
    });

    expect(await api().mailbox.message({ messageId: first.messageId })).toMatchObject({
      messageId: first.messageId,
      to: `ann.${key}@example.com`,
      text: first.text,
      html: first.html,
      kind: 'order-confirmation',
    });
  });

  it('answers NOT_FOUND for a mail it does not have, and refuses an overlong id', async () => {
    await expectTRPCError(api().mailbox.message({ messageId: '<nothing@hindsight.shop>' }), 'NOT_FOUND');
    await expectTRPCError(api().mailbox.message({ messageId: `<${'x'.repeat(300)}@hindsight.shop>` }), 'BAD_REQUEST');
  });
});
