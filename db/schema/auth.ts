import { bigint, boolean, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Accounts, in a schema of their own: the tables better-auth keeps (server/auth/auth.ts) for credentials and
 * sessions. They are state, not history: a password hash is replaced, a session deleted. What a customer
 * did (registered, shopped) is in the event log, under the same id: `user.id` is the customer's id.
 *
 * The field names are better-auth's (its drizzle adapter maps them); the columns are snake_case like every
 * other table, by the drizzle instance's casing.
 */
export const auth = pgSchema('auth');

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

export const user = auth.table('user', {
  /** The customer's id in the event log (`customer-<id>`): a UUID, chosen at sign-up. */
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  email: text().notNull().unique(),
  emailVerified: boolean().notNull().default(false),
  image: text(),
  /** `customer` or `staff`; never set from a sign-up form (see the `input: false` in server/auth/auth.ts). */
  role: text().notNull().default('customer'),
  ...timestamps,
});

export const session = auth.table(
  'session',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Only its signed form travels, in the session cookie. */
    token: text().notNull().unique(),
    userId: uuid()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ipAddress: text(),
    userAgent: text(),
    ...timestamps,
  },
  (table) => [index('session_user_idx').on(table.userId)],
);

/** How a user signs in: `credential` holds the password hash; a magic link needs no row here. */
export const account = auth.table(
  'account',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: text().notNull(),
    providerId: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text(),
    refreshToken: text(),
    idToken: text(),
    accessTokenExpiresAt: timestamp({ withTimezone: true }),
    refreshTokenExpiresAt: timestamp({ withTimezone: true }),
    scope: text(),
    password: text(),
    ...timestamps,
  },
  (table) => [index('account_user_idx').on(table.userId)],
);

/** Short-lived secrets: a magic link's token until it is used or expires. */
export const verification = auth.table(
  'verification',
  {
    id: uuid().primaryKey().defaultRandom(),
    identifier: text().notNull(),
    value: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ...timestamps,
  },
  (table) => [index('verification_identifier_idx').on(table.identifier)],
);

/**
 * Sign-in attempts per client and path, so the limit holds across every web server of the shop (an in-memory
 * count would be per process, and reset by a restart).
 */
export const rateLimit = auth.table('rate_limit', {
  id: uuid().primaryKey().defaultRandom(),
  key: text().notNull().unique(),
  count: integer().notNull(),
  lastRequest: bigint({ mode: 'number' }).notNull(),
});
