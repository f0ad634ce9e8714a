import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { BackOfficeNav } from '../_components/back-office-nav';
import { requireStaff } from './_gate/require-staff';
import './back-office.css';

export const metadata: Metadata = { title: 'Back office · Hindsight shop' };

/** The back office: staff only, with a menu of its own beside the pages. */
export default async function BackOfficeLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff();
  return (
    <div className="back-office">
      <BackOfficeNav staffName={staff.name} />
      <div className="back-office-page">{children}</div>
    </div>
  );
}
