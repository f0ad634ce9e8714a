import { z } from 'zod';
import { knobsSchema } from './knobs';

/** A number from the environment, checked against the knob's own range; unset means the knob's default. */
function knobFromEnv<Knob extends z.ZodType<number, number | undefined>>(knob: Knob) {
  return z
    .string()
    .optional()
    .transform((text) => (text === undefined ? undefined : Number(text)))
    .pipe(knob);
}

/**
 * The settings of the warehouse's own process (`npm run warehouse`), validated once. The service reads only its
 * own variables, and the broker's, which it shares with the shop (server/env.ts reads the same names, with the
 * same rules, so one environment can start both).
 */
const schema = z.object({
  /** The warehouse's own database, created on the server at start if missing; its tables are in `warehouse`. */
  WAREHOUSE_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .refine((url) => !URL.canParse(url) || new URL(url).pathname.length > 1, 'must name a database (postgres://host:5432/name)')
    .default('postgres://postgres@127.0.0.1:5432/hindsight_warehouse'),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, 'must be nats://host:port (several separated by commas)')
    .default('nats://127.0.0.1:4222'),
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -').default('HINDSIGHT'),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/, 'must be dot-separated lowercase letters, digits, _ or -')
    .default('hindsight'),
  WAREHOUSE_PICK_MS: knobFromEnv(knobsSchema.shape.pickMs),
  WAREHOUSE_PACK_MS: knobFromEnv(knobsSchema.shape.packMs),
  WAREHOUSE_DISPATCH_MS: knobFromEnv(knobsSchema.shape.dispatchMs),
  WAREHOUSE_MISSING_RATE: knobFromEnv(knobsSchema.shape.missingRate),
  WAREHOUSE_CARRIER: knobsSchema.shape.carrier,
  /** An OTLP/HTTP collector, as for the shop (server/env.ts): traces go to its /v1/traces. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WarehouseSettings = {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly stream: string;
  readonly prefix: string;
  readonly pickMs: number;
  readonly packMs: number;
  readonly dispatchMs: number;
  readonly missingRate: number;
  readonly carrier: string;
  readonly otlpEndpoint: string | undefined;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
};

/** Reads the settings from an environment (process.env in the entry point); throws naming every bad variable. */
export function warehouseSettings(source: Readonly<Record<string, string | undefined>>): WarehouseSettings {
  // An empty variable (`WAREHOUSE_PICK_MS=`) means unset, as in server/env.ts.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid warehouse configuration:\n${problems.join('\n')}`);
  }
  const settings = result.data;
  return {
    databaseUrl: settings.WAREHOUSE_DATABASE_URL,
    natsUrl: settings.NATS_URL,
    stream: settings.NATS_STREAM,
    prefix: settings.NATS_SUBJECT_PREFIX,
    pickMs: settings.WAREHOUSE_PICK_MS,
    packMs: settings.WAREHOUSE_PACK_MS,
    dispatchMs: settings.WAREHOUSE_DISPATCH_MS,
    missingRate: settings.WAREHOUSE_MISSING_RATE,
    carrier: settings.WAREHOUSE_CARRIER,
    otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
    logLevel: settings.LOG_LEVEL,
  };
}
