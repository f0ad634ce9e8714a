'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** `also`: another path whose pages belong to the section. */
const sections: readonly { href: string; label: string; also?: string }[] = [
  { href: '/back-office/orders', label: 'Orders' },
  { href: '/back-office/catalog', label: 'Catalog' },
  { href: '/back-office/processes', label: 'Needs attention' },
  { href: '/back-office/sales', label: 'Sales' },
  { href: '/back-office/dead-letters', label: 'Dead letters' },
  { href: '/back-office/streams', label: 'Streams', also: '/back-office/traces' },
  { href: '/back-office/status', label: 'Status' },
];

/** The back office's own menu; the section being shown is marked (an order's trace belongs to Orders, a correlation's trace to Streams). */
export function BackOfficeNav({ staffName }: { staffName: string }) {
  const pathname = usePathname();
  return (
    <nav className="back-office-nav" aria-label="Back office">
      <p className="back-office-title">Back office</p>
      <ul>
        {sections.map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={[section.href, section.also].some((href) => href && (pathname === href || pathname.startsWith(`${href}/`))) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
      <p className="back-office-who">Signed in as {staffName}, staff</p>
    </nav>
  );
}
