/**
 * Whether a request was sent by a page of another site. Browsers say so in `Sec-Fetch-Site` (every current
 * one); older ones send `Origin` on a cross-site POST, compared here with the host the request came to. A
 * request with neither header is not a browser page's (a server action's own call, a script, a test).
 */
export function isCrossSite(headers: Headers): boolean {
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = headers.get('origin');
  if (!origin) return false;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  try {
    return !host || new URL(origin).host !== host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file) is no page of this site.
    return true;
  }
}
