/**
 * better-auth's refusals, in the shop's words. Its codes are stable; its messages are written for developers
 * ("Invalid email or password" is fine, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" is not).
 */
const messages: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: 'That email and password do not match an account. Check them and try again.',
  USER_ALREADY_EXISTS: 'There is already an account for this email. Sign in instead.',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'There is already an account for this email. Sign in instead.',
  PASSWORD_TOO_SHORT: 'Please choose a password of at least 8 characters.',
  PASSWORD_TOO_LONG: 'Please choose a password of at most 128 characters.',
  INVALID_EMAIL: 'Please enter a valid email address.',
};

export function authMessage(error: { code?: string; message?: string; status?: number }): string {
  if (error.status === 429) return 'Too many attempts from here. Please wait a minute and try again.';
  if (error.code && messages[error.code]) return messages[error.code]!;
  if (error.status !== undefined && error.status >= 500) return 'Signing in is not working right now. Please try again in a moment.';
  return error.message || 'That did not work. Please try again.';
}
