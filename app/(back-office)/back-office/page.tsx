import { redirect } from 'next/navigation';
import { requireStaff } from '../_gate/require-staff';

/** The back office opens on the orders: what staff look at first. */
export default async function BackOfficeHome() {
  await requireStaff();
  redirect('/back-office/orders');
}
