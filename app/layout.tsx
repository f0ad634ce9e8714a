import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { AccountMenu } from './_components/account-menu';
import { CartCount } from './_components/cart-count';
import { Providers } from './_components/providers';
import { HydrateClient, prefetch, serverCaller, trpc } from './_trpc/server';
import './globals.css';
import './header.css';

export const metadata: Metadata = {
  title: 'Hindsight shop',
  description: 'An event-sourced CQRS shop: every change is an event, every page a read model.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  const [{ viewer }, options, mode] = await Promise.all([caller.session.current(), caller.session.signInOptions(), caller.system.runMode()]);
  // The header's cart count reads the cart from the first render: a query it started empty in the browser
  // would also keep the cart page from taking the data its own server render prefetched.
  prefetch(trpc.cart.get.queryOptions());
  return (
    <html lang="en">
      <body>
        <Providers>
          <header className="site-header">
            <div className="inner">
              <Link href="/" className="brand">
                Hindsight
              </Link>
              <nav className="site-nav" aria-label="Main">
                <Link href="/">Shop</Link>
                <HydrateClient>
                  <CartCount />
                </HydrateClient>
                <Link href="/orders">Orders</Link>
                {viewer?.role === 'staff' && <Link href="/back-office">Back office</Link>}
              </nav>
              <form action="/search" role="search" aria-label="Site" className="header-search">
                <label htmlFor="header-search" className="visually-hidden">
                  Search products
                </label>
                <input id="header-search" name="q" type="search" placeholder="Search products…" />
                <button type="submit" className="secondary">
                  Search
                </button>
              </form>
              <Suspense>
                <AccountMenu viewer={viewer && { name: viewer.name, email: viewer.email }} />
              </Suspense>
            </div>
          </header>
          <main>{children}</main>
          <footer className="site-footer">
            Every page shows a read model and says when it has not caught up with your last action.
            {options.mailbox && (
              <>
                {' '}
                Mail goes to the <Link href="/mailbox">development mailbox</Link>: no mail server is configured.
              </>
            )}
            <span className="footer-mode">{` Event store and read models: ${mode.database} · Search: ${mode.search} · Consumers run ${mode.consumers}.`}</span>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
