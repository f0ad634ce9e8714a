import { env } from './env';

/** Which backends this process uses, as the page footer and the start-up log describe them. */
export function runMode() {
  const embedded = !env.DATABASE_URL;
  return {
    embedded,
    database: embedded ? `embedded PostgreSQL (PGlite, ${env.EMBEDDED_DATA_DIR})` : 'PostgreSQL server',
    search: env.ELASTICSEARCH_URL ? 'Elasticsearch' : 'PostgreSQL full text',
    consumers: embedded ? (env.EMBEDDED_THREAD ? 'inside the web server, on a thread of their own' : 'inside the web server') : 'in the worker process',
  };
}
