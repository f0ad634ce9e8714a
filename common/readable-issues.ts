/**
 * A refused input said to a person: one sentence per refused field. The API's error formatter puts this in
 * the message of every refusal (server/trpc/init.ts), and a page says it from the issues the error carries.
 */

/** "shippingAddress.postalCode" → "Postal code": the field's own name, as a person says it. */
function fieldLabel(path: string): string {
  const field = path.split('.').filter((segment) => !/^\d+$/.test(segment)).at(-1);
  if (!field) return 'The request';
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// zod's default messages ("Too big: expected number to be <=99") are for developers; each is said again as a
// phrase to follow the field's name. A message the schema wrote for people ("Please enter the city.") is
// not among them and is shown as it is.
const zodDefaults: readonly [RegExp, (...groups: string[]) => string][] = [
  [/^Invalid input: expected \w+, received undefined$/, () => 'is missing'],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [/^Invalid input: expected (\w+), received \w+$/, (type) => `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`],
  [/^Invalid option: expected one of (.+)$/, (options) => `must be one of ${options.replaceAll('"', '').split('|').join(', ')}`],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (n) => `may be at most ${n} characters long`],
  [/^Too small: expected string to have >=?1 characters?$/, () => 'may not be empty'],
  [/^Too small: expected string to have >=?(\d+) characters?$/, (n) => `must be at least ${n} characters long`],
  [/^Too big: expected \w+ to have <=?(\d+) items?$/, (n) => `may have at most ${n} items`],
  [/^Too big: expected number to be <=?(\d+)$/, (n) => `may be at most ${n}`],
  [/^Too small: expected number to be >=?(\d+)$/, (n) => `must be at least ${n}`],
  [/^Invalid (?:string|UUID|input|email address|number)\b.*$/, () => 'is not valid'],
];

export function issueSentence(issue: { path: string; message: string }): string {
  for (const [pattern, phrase] of zodDefaults) {
    const match = pattern.exec(issue.message);
    if (match) return `${fieldLabel(issue.path)} ${phrase(...match.slice(1))}.`;
  }
  return /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`;
}

/** The sentences of a refused input's issues, each said once. */
export function readableIssues(issues: readonly { path: string; message: string }[]): string {
  return [...new Set(issues.map(issueSentence))].join(' ');
}
