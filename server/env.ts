import { z } from 'zod';

/**
 * Every setting Hindsight reads, validated once. Code imports `env`; nothing else reads process.env.
 * The README's configuration reference lists the same variables.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** PostgreSQL server holding the event store and the PostgreSQL read models. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
    .default('postgres://postgres@127.0.0.1:5432/hindsight'),
  /** Elasticsearch for the search read models; scripts/elasticsearch.sh runs a local node at the default. */
  ELASTICSEARCH_URL: z
    .url({ protocol: /^https?$/, error: 'ELASTICSEARCH_URL must be an http:// or https:// URL' })
    .default('http://127.0.0.1:9200'),
  /** Prefix of the search indices' aliases, so several installations can share one cluster. */
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'ELASTICSEARCH_INDEX_PREFIX must be lowercase letters, digits, _ or -')
    .default('hindsight'),
  /** Events a projection reads and applies per transaction. */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Fallback poll interval when no LISTEN/NOTIFY wake-up arrives (e.g. the notification was missed). */
  PROJECTOR_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /**
   * Artificial delay before each projection batch. 0 in normal use; the end-to-end suite and demos raise it
   * so the consistency banner stays on screen long enough to be seen.
   */
  PROJECTOR_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);
