'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const sections = [
  { href: '/back-office/orders', label: 'Orders' },
  { href: '/back-office/catalog', label: 'Catalog' },
  { href: '/back-office/processes', label: 'Needs attention' },
  { href: '/back-office/sales', label: 'Sales' },
  { href: '/back-office/dead-letters', label: 'Dead letters' },
  { href: '/back-office/status', label: 'Status' },
] as const;

/** The back office's own menu; the section being shown is marked (an order's trace belongs to Orders). */
export function BackOfficeNav({ staffName }: { staffName: string }) {
  const pathname = usePathname();
  return (
    <nav className="back-office-nav" aria-label="Back office">
      <p className="back-office-title">Back office</p>
      <ul>
        {sections.map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={pathname === section.href || pathname.startsWith(`${section.href}/`) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
      <p className="back-office-who">Signed in as {staffName}, staff</p>
    </nav>
  );
}
