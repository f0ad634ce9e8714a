import { Suspense } from 'react';
import { SignInRedirect } from './(account)/_gate/sign-in-redirect';

/** A page that needs a signed-in visitor (HTTP 401): on to the sign-in page, and back here afterwards. */
export default function Unauthorized() {
  return (
    <div className="notice">
      <h1>Please sign in</h1>
      <p>This page is only for signed-in customers. Taking you to the sign-in page…</p>
      <Suspense>
        <SignInRedirect />
      </Suspense>
    </div>
  );
}
