import Link from 'next/link';

/** A page the signed-in visitor may not see (HTTP 403): the back office, for a customer. */
export default function Forbidden() {
  return (
    <div className="notice">
      <h1>This is for staff only</h1>
      <p>
        You are signed in as a customer, and this page belongs to the shop&apos;s back office. If you work here, sign
        out and sign in with your staff account.
      </p>
      <p>
        <Link href="/">Back to the shop</Link> · <Link href="/orders">Your orders</Link>
      </p>
    </div>
  );
}
