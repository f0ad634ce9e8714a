import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session, user } from '@/db/schema/auth';
import { customerStreamId } from '@/domain';
import { mailboxMessages } from '@/reactors/notifications/schema';
import { appRouter } from '@/server/routers';
import { expectTRPCError, sessionCookieOf, shippingAddress, card, useRouterHarness, type Browser } from '@/server/testing';
import { cartCookie, guestCookie } from '@/server/trpc/cookies';
import { sessionLookupOf, viewerOf } from './auth';
import { demoPassword } from './demo-accounts';

const harness = useRouterHarness();
const key = () => ({ idempotencyKey: randomUUID() });

/** better-auth's HTTP endpoint, as the browser's sign-in form calls it. */
async function post(path: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return harness.auth.handler(
    new Request(`http://shop.test/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://shop.test', 'x-forwarded-for': headers['x-forwarded-for'] ?? '203.0.113.7', ...headers },
      body: JSON.stringify(body),
    }),
  );
}

const newEmail = () => `shopper-${randomUUID().slice(0, 8)}@example.com`;

describe('signing up', () => {
  it('creates an account whose id is the customer registered in the log', async () => {
    const email = newEmail();
    const response = await post('/sign-up/email', { email, password: 'correct horse battery', name: 'Ada Lovelace' });
    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response.headers);
    const [account] = await harness.db.orm.select().from(user).where(eq(user.email, email));
    expect(account).toMatchObject({ name: 'Ada Lovelace', role: 'customer' });
    const events = await harness.store.readStream(customerStreamId(account!.id));
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['CustomerRegistered', expect.objectContaining({ customerId: account!.id, name: 'Ada Lovelace', email })],
    ]);
    const viewer = await harness.caller({ cookie }).session.current();
    expect(viewer.viewer).toEqual({ customerId: account!.id, name: 'Ada Lovelace', email, role: 'customer' });
  });

  it('never takes the staff role from the form', async () => {
    const email = newEmail();
    const response = await post('/sign-up/email', { email, password: 'correct horse battery', name: 'Mallory', role: 'staff' });
    const [account] = await harness.db.orm.select().from(user).where(eq(user.email, email));
    if (response.status === 200) expect(account?.role).toBe('customer');
    else expect(account).toBeUndefined();
    expect(response.status).toBeLessThan(500);
  });

  it('refuses a second account for the same email, and a short password, with a message', async () => {
    const taken = await post('/sign-up/email', { email: 'maya@example.com', password: 'correct horse battery', name: 'Maya again' });
    expect(taken.status).toBe(422);
    expect(await taken.json()).toMatchObject({ message: expect.stringMatching(/already exists/i) });
    const short = await post('/sign-up/email', { email: newEmail(), password: 'short', name: 'Bob' });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ message: expect.stringMatching(/password/i) });
  });
});

describe('signing in and out', () => {
  it('signs in with the password, and signs out so the cookie no longer works', async () => {
    const response = await post('/sign-in/email', { email: 'liam@example.com', password: demoPassword });
    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response.headers);
    expect((await harness.caller({ cookie }).session.current()).viewer).toMatchObject({ customerId: harness.customers.liam });

    const out = await post('/sign-out', {}, { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((header) => header.startsWith(`${cartCookie}=;`))).toBe(true);
    expect((await harness.caller({ cookie }).session.current()).viewer).toBeNull();
    await expectTRPCError(harness.caller({ cookie }).orders.history({}), 'UNAUTHORIZED', 'Please sign in first.');
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const wrong = await post('/sign-in/email', { email: 'liam@example.com', password: 'not the password' });
    const nobody = await post('/sign-in/email', { email: 'nobody@example.com', password: 'not the password' });
    expect([wrong.status, nobody.status]).toEqual([401, 401]);
    expect((await wrong.json()).message).toBe((await nobody.json()).message);
  });

  it('signs in by a magic link mailed to the mailbox, once', async () => {
    const email = newEmail();
    const sent = await post('/sign-in/magic-link', { email, name: 'Grace Hopper', callbackURL: '/orders' });
    expect(sent.status).toBe(200);
    const [mail] = await harness.db.orm.select().from(mailboxMessages).where(eq(mailboxMessages.to, email));
    expect(mail).toMatchObject({ kind: 'sign-in-link', subject: 'Your sign-in link for Hindsight' });
    const link = mail!.text.match(/http:\/\/shop\.test\/api\/auth\/magic-link\/verify\?\S+/)?.[0];
    expect(link).toBeDefined();

    const verified = await harness.auth.handler(new Request(link!));
    expect(verified.status).toBe(302);
    expect(verified.headers.get('location')).toBe('http://shop.test/orders');
    const cookie = sessionCookieOf(verified.headers);
    const viewer = (await harness.caller({ cookie }).session.current()).viewer;
    expect(viewer).toMatchObject({ email, name: 'Grace Hopper', role: 'customer' });
    expect(await harness.store.readStream(customerStreamId(viewer!.customerId))).toHaveLength(1);

    // A link works once: the second click signs nobody in.
    const again = await harness.auth.handler(new Request(link!));
    expect(again.headers.getSetCookie().some((header) => header.startsWith('hindsight.session_token=') && !header.startsWith('hindsight.session_token=;'))).toBe(false);
  });

  it('never builds a sign-in link from a Host header that is not this machine', async () => {
    const local = harness.authWith({ baseURL: null });
    const ask = (host: string, email: string) =>
      local.handler(
        new Request(`http://${host}/api/auth/sign-in/magic-link`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', host, origin: `http://${host}`, 'x-forwarded-for': '192.0.2.44' },
          body: JSON.stringify({ email, callbackURL: '/' }),
        }),
      );
    const linkSentTo = async (email: string) => {
      const [mail] = await harness.db.orm.select().from(mailboxMessages).where(eq(mailboxMessages.to, email));
      return mail?.text.match(/https?:\/\/[^/\s]+/)?.[0];
    };
    const [viaLoopback, viaForgedHost] = [newEmail(), newEmail()];
    expect((await ask('127.0.0.1:3200', viaLoopback)).status).toBe(200);
    expect(await linkSentTo(viaLoopback)).toBe('http://127.0.0.1:3200');
    // A forged Host: the link (and the token in it) must not point to the forger's site.
    await ask('evil.example', viaForgedHost);
    expect(await linkSentTo(viaForgedHost)).not.toBe('http://evil.example');
  });

  it('limits sign-in attempts per client', async () => {
    const limited = harness.authWith({ signInAttemptsPerMinute: 3 });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await limited.handler(
        new Request('http://shop.test/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://shop.test', 'x-forwarded-for': '198.51.100.9' },
          body: JSON.stringify({ email: 'liam@example.com', password: 'guessing' }),
        }),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('treats a tampered or malformed session cookie as signed out', async () => {
    const response = await post('/sign-in/email', { email: 'liam@example.com', password: demoPassword });
    const cookie = sessionCookieOf(response.headers);
    const [name, value] = cookie.split('=');
    const tampered = `${name}=${decodeURIComponent(value!).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'))}`;
    expect((await harness.caller({ cookie: tampered }).session.current()).viewer).toBeNull();
    expect((await harness.caller({ cookie: 'hindsight.session_token=%E0%A4%A' }).session.current()).viewer).toBeNull();
  });
});

describe('guests and their carts', () => {
  it('lets a guest fill a cart, and the cart joins the account when the guest signs in', async () => {
    const lamp = await harness.listProduct(5);
    const guest: Browser = { customerId: null, cartId: null };
    const first = harness.request(guest);
    const { cartId: guestCartId } = await first.api.cart.addItem({ ...key(), productId: lamp.productId, quantity: 2 });
    const guestId = first.resHeaders.getSetCookie().find((header) => header.startsWith(`${guestCookie}=`))?.split(/[=;]/)[1];
    expect(guestId).toMatch(/^[0-9a-f-]{36}$/);
    // A guest may not check out.
    await expectTRPCError(
      harness.request({ ...guest, guestId, cartId: guestCartId }).api.cart.checkOut({ ...key(), cartId: guestCartId, shippingAddress, card }),
      'UNAUTHORIZED',
    );

    const signedIn = await post('/sign-in/email', { email: 'liam@example.com', password: demoPassword }, { cookie: `${guestCookie}=${guestId}; ${cartCookie}=${guestCartId}` });
    expect(signedIn.status).toBe(200);
    const accountCartId = signedIn.headers.getSetCookie().find((header) => header.startsWith(`${cartCookie}=`))?.split(/[=;]/)[1];
    expect(accountCartId).toMatch(/^[0-9a-f-]{36}$/);
    expect(accountCartId).not.toBe(guestCartId);

    await harness.catchUpAll();
    const cookie = `${sessionCookieOf(signedIn.headers)}; ${cartCookie}=${accountCartId}`;
    const cart = await harness.caller({ cookie }).cart.get();
    expect(cart.cart?.lines.map((line) => [line.productId, line.quantity])).toEqual([[lamp.productId, 2]]);
    // The same cart from another device, which has no cart cookie.
    const elsewhere = await harness.caller({ cookie: sessionCookieOf(signedIn.headers) }).cart.get();
    expect(elsewhere.cart?.cartId).toBe(accountCartId);
  });
});

describe('requests from another site', () => {
  it('refuses a mutation another site sends, and appends nothing', async () => {
    const lamp = await harness.listProduct(5);
    const before = await harness.countEvents();
    const { api } = harness.request({ customerId: harness.customers.maya, cartId: null }, { 'sec-fetch-site': 'cross-site' });
    await expectTRPCError(api.cart.addItem({ ...key(), productId: lamp.productId, quantity: 1 }), 'FORBIDDEN', /another site/);
    const viaOrigin = harness.request({ customerId: harness.customers.maya, cartId: null }, { origin: 'https://evil.example', host: 'shop.test' });
    await expectTRPCError(viaOrigin.api.cart.addItem({ ...key(), productId: lamp.productId, quantity: 1 }), 'FORBIDDEN');
    expect(await harness.countEvents()).toBe(before);
    // Reading is not refused: a query changes nothing.
    await expect(api.cart.get()).resolves.toBeDefined();
  });
});

/**
 * An ordinary signed-in request's session is looked up directly (session-lookup.ts), not through
 * better-auth's getSession; these hold the two to the same answers, and signing out to the next request.
 */
describe('the session lookup of every request', () => {
  const signIn = async (email: string, body: object = {}) =>
    sessionCookieOf((await post('/sign-in/email', { email, password: demoPassword, ...body })).headers);
  const viewer = (cookie: string) => viewerOf(harness.auth, new Headers({ cookie }));
  const tokenOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;

  it('answers what better-auth answers for a signed-in session', async () => {
    const cookie = await signIn('liam@example.com');
    const found = await harness.auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(await viewer(cookie)).toEqual({ customerId: found!.user.id, name: found!.user.name, email: found!.user.email, role: 'customer' });
    // Answered by the direct lookup itself, not handed on to better-auth.
    const lookup = await sessionLookupOf(harness.auth);
    expect(await lookup!(new Headers({ cookie }))).toMatchObject({ id: found!.user.id });
    expect((await viewer(await signIn('staff@example.com')))?.role).toBe('staff');
  });

  it('sees a session an operator deleted as signed out on the next request', async () => {
    const cookie = await signIn('liam@example.com');
    expect(await viewer(cookie)).not.toBeNull();
    await harness.db.orm.delete(session).where(eq(session.token, tokenOf(cookie)));
    expect(await viewer(cookie)).toBeNull();
  });

  it('leaves an expired session to better-auth, which removes it', async () => {
    const cookie = await signIn('liam@example.com');
    await harness.db.orm.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.token, tokenOf(cookie)));
    expect(await viewer(cookie)).toBeNull();
    expect(await harness.db.orm.select().from(session).where(eq(session.token, tokenOf(cookie)))).toEqual([]);
  });

  it('leaves a session due to be extended to better-auth, which moves its expiry on', async () => {
    const cookie = await signIn('liam@example.com');
    // Signed in two days ago: its 30 days run out in 28, and better-auth extends a session once a day.
    const old = new Date(Date.now() + 28 * 24 * 60 * 60 * 1000);
    await harness.db.orm.update(session).set({ expiresAt: old }).where(eq(session.token, tokenOf(cookie)));
    expect(await viewer(cookie)).toMatchObject({ customerId: harness.customers.liam });
    const [row] = await harness.db.orm.select().from(session).where(eq(session.token, tokenOf(cookie)));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(old.getTime() + 24 * 60 * 60 * 1000);
  });

  it('keeps a session that is not to be remembered working', async () => {
    const response = await post('/sign-in/email', { email: 'liam@example.com', password: demoPassword, rememberMe: false });
    const cookies = response.headers.getSetCookie().map((header) => header.split(';')[0]!).join('; ');
    expect(cookies).toContain('dont_remember');
    expect(await viewer(cookies)).toMatchObject({ customerId: harness.customers.liam });
  });

  it('refuses a signature made with another secret, or spelled otherwise', async () => {
    const cookie = await signIn('liam@example.com');
    const token = tokenOf(cookie);
    const forged = createHmac('sha256', 'another secret').update(token).digest('base64');
    expect(await viewer(`hindsight.session_token=${encodeURIComponent(`${token}.${forged}`)}`)).toBeNull();
    const signature = decodeURIComponent(cookie.split('=')[1]!).split('.')[1]!;
    const urlSafe = signature.replaceAll('+', '-').replaceAll('/', '_');
    if (urlSafe !== signature) expect(await viewer(`hindsight.session_token=${encodeURIComponent(`${token}.${urlSafe}`)}`)).toBeNull();
  });
});

describe('what the public API no longer offers', () => {
  it('has no customer list', () => {
    expect(Object.keys(appRouter._def.procedures).filter((path) => path.startsWith('customers.'))).toEqual([]);
  });

  it('keeps sessions server-side: signing out removes the session row', async () => {
    const response = await post('/sign-in/email', { email: 'maya@example.com', password: demoPassword });
    const cookie = sessionCookieOf(response.headers);
    const before = await harness.db.orm.select().from(session).where(eq(session.userId, harness.customers.maya));
    await post('/sign-out', {}, { cookie });
    const after = await harness.db.orm.select().from(session).where(eq(session.userId, harness.customers.maya));
    expect(after.length).toBe(before.length - 1);
  });
});
