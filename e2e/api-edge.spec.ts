import { expect, test } from './fixtures';

/**
 * The API's edge on the running server, as a script or a hostile client meets it: every refusal has a JSON
 * body that says why, and the ones Node's parser makes before Next.js runs too (server/main/client-errors.ts).
 */
test('refusals at the edge of the running API answer in JSON and say why', async ({ request }) => {
  const tooBig = await request.get('/api/trpc/session.current', { headers: { 'x-padding': 'a'.repeat(20_000) } });
  expect(tooBig.status()).toBe(431);
  expect((await tooBig.json()).error.json.message).toBe("The request's headers are too large: at most 16 KiB in all.");

  const wrongMethod = await request.delete('/api/trpc/catalog.list');
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()['allow']).toBe('GET, POST');
  expect((await wrongMethod.json()).error.json.message).toBe('The API answers GET (queries) and POST (mutations), not DELETE.');

  const typed = await request.post('/api/trpc/cart.addItem', {
    data: { json: { idempotencyKey: crypto.randomUUID(), productId: 'x', quantity: 1, note: '1' }, meta: { values: { note: ['bigint'] } } },
  });
  expect(typed.status()).toBe(400);
  expect((await typed.json()).error.json.message).toBe('The API takes plain JSON values, not a bigint.');
  expect(typed.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  const signIn = await request.put('/api/auth/sign-in/email');
  expect(signIn.status()).toBe(404);
  expect((await signIn.json()).message).toBe('There is no sign-in endpoint at /api/auth/sign-in/email that takes PUT.');
});
