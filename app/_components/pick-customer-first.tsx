export function PickCustomerFirst({ what }: { what: string }) {
  return (
    <p className="notice">
      Pick a demo customer in the <strong>Shopping as</strong> menu at the top to see {what}. (Real sign-in comes
      later; for now the choice is kept in a cookie.)
    </p>
  );
}
