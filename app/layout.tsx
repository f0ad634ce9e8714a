import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { CustomerPicker } from './_components/customer-picker';
import { Providers } from './_components/providers';
import { serverCaller } from './_trpc/server';
import './globals.css';

export const metadata: Metadata = {
  title: 'Hindsight shop',
  description: 'An event-sourced CQRS shop: every change is an event, every page a read model.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  const { customers } = await caller.customers.list();
  const { customerId } = await caller.session.current();
  const mode = await caller.system.runMode();
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
                <Link href="/cart">Cart</Link>
                <Link href="/orders">Orders</Link>
                <Link href="/sales">Daily sales</Link>
                <Link href="/status">Status</Link>
                <Link href="/mailbox">Mailbox</Link>
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
                <CustomerPicker customers={customers} selected={customerId} />
              </Suspense>
            </div>
          </header>
          <main>{children}</main>
          <footer className="site-footer">
            {`Event store and read models: ${mode.database} · Search: ${mode.search} · Consumers of the log run ${mode.consumers} · `}
            Every page shows a read model and says when it has not caught up with your last action.
          </footer>
        </Providers>
      </body>
    </html>
  );
}
