/**
 * Where to go after signing in: a path of this site, or the home page. `//evil.example` and `/\evil.example`
 * are read by browsers as another host, and `https://…` is one, so only a single leading slash followed by
 * something other than a slash or backslash passes.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2_000) return fallback;
  if (!/^\/(?![/\\])/.test(value)) return fallback;
  // Control characters (a tab or newline inside `/\t/evil.example`) are dropped by URL parsers.
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}

/** The sign-in page's address that comes back to `path` afterwards. */
export function signInPath(path: string): string {
  const back = safeReturnTo(path);
  return back === '/' ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(back)}`;
}
