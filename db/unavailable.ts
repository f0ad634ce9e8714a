/**
 * Whether an error says the database could not be reached or is refusing work for now (down, restarting, out
 * of connections), rather than that the statement was wrong. Such a failure is the backend's state, not the
 * caller's fault, and no reason for a 500: the API answers 503 and the caller may try again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // drizzle wraps the driver's error, and our own wrappers may too: look through the causes.
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (unreachable.has(code) || sqlStateUnavailable(code) || notTakingConnections(code, cause))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The socket's errors and postgres.js's own codes for a connection it could not make or lost. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** SQLSTATE class 08 (connection exception), too many connections, and a server shutting down or starting. */
function sqlStateUnavailable(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || ['53300', '57P01', '57P02', '57P03'].includes(code);
}

/**
 * The database gone (dropped, or a URL naming one the server does not have: 3D000), or not taking
 * connections (an operator's `ALLOW_CONNECTIONS false` during maintenance: 55000, a class that also holds
 * states that are faults of a statement, so only with this message). Either is the backend's state: the next
 * attempt may well succeed, and nothing the caller sent was wrong.
 */
function notTakingConnections(code: string, error: object): boolean {
  if (code === '3D000') return true;
  const message = (error as { message?: unknown }).message;
  return code === '55000' && typeof message === 'string' && message.includes('is not currently accepting connections');
}
