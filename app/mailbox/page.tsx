import { z } from 'zod';
import { Mailbox } from '../_components/mailbox';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

/** `?message=<Message-ID>` opens one mail; anything else opens none. */
const searchSchema = z.object({ message: z.string().min(1).max(300).optional().catch(undefined) });

export default async function MailboxPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { message } = searchSchema.parse(await searchParams);
  prefetch(trpc.mailbox.list.queryOptions());
  if (message) prefetch(trpc.mailbox.message.queryOptions({ messageId: message }));
  return (
    <HydrateClient>
      <Mailbox selected={message ?? null} />
    </HydrateClient>
  );
}
