import { z } from 'zod';
import { knobsSchema } from './knobs';

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a postgres:// or postgresql:// URL',
});

/**
 * The settings of the gateway's own process (`npm run payments`), validated once like the shop's (server/env.ts),
 * but its own: the gateway is a separate service and reads only PAYMENTS_* (and DATABASE_URL as a fallback).
 */
/** A number from the environment, checked against the knob's own range; unset means the knob's default. */
function knobFromEnv<Knob extends z.ZodType<number, number | undefined>>(knob: Knob) {
  return z
    .string()
    .optional()
    .transform((text) => (text === undefined ? undefined : Number(text)))
    .pipe(knob);
}

const schema = z
  .object({
    /** The gateway's database; its tables live in the schema `payment_gateway`. Defaults to the shop's. */
    PAYMENTS_DATABASE_URL: postgresUrl.optional(),
    DATABASE_URL: postgresUrl.optional(),
    PAYMENTS_HOST: z.string().min(1).default('127.0.0.1'),
    PAYMENTS_PORT: z.coerce.number().int().min(0).max(65_535).default(4100),
    PAYMENTS_LATENCY_MS: knobFromEnv(knobsSchema.shape.latencyMs),
    PAYMENTS_LATENCY_JITTER_MS: knobFromEnv(knobsSchema.shape.latencyJitterMs),
    PAYMENTS_FAILURE_RATE: knobFromEnv(knobsSchema.shape.failureRate),
    PAYMENTS_TIMEOUT_HOLD_MS: knobFromEnv(knobsSchema.shape.timeoutHoldMs),
  })
  .transform((settings, context) => {
    const databaseUrl = settings.PAYMENTS_DATABASE_URL ?? settings.DATABASE_URL;
    if (!databaseUrl) {
      context.addIssue({
        code: 'custom',
        path: ['PAYMENTS_DATABASE_URL'],
        message: 'the payment gateway needs a PostgreSQL server: set PAYMENTS_DATABASE_URL or DATABASE_URL',
      });
      return z.NEVER;
    }
    return {
      databaseUrl,
      host: settings.PAYMENTS_HOST,
      port: settings.PAYMENTS_PORT,
      latencyMs: settings.PAYMENTS_LATENCY_MS,
      latencyJitterMs: settings.PAYMENTS_LATENCY_JITTER_MS,
      failureRate: settings.PAYMENTS_FAILURE_RATE,
      timeoutHoldMs: settings.PAYMENTS_TIMEOUT_HOLD_MS,
    };
  });

export type PaymentGatewaySettings = z.infer<typeof schema>;

/** Reads the settings from an environment (process.env in the entry point); throws naming every bad variable. */
export function paymentGatewaySettings(source: Readonly<Record<string, string | undefined>>): PaymentGatewaySettings {
  // An empty variable (`PAYMENTS_PORT=`) means unset, as in server/env.ts.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid payment gateway configuration:\n${problems.join('\n')}`);
}
