import { serverDatabase } from '../db';
import { env } from '../env';
import { metricsResponse } from './scrape';

/** GET /api/metrics (app/api/metrics/route.ts): this web server's metrics and every consumer's lag. */
export function webMetricsResponse(request: Request): Promise<Response> {
  return metricsResponse(request, { token: env.METRICS_TOKEN, lagOf: async () => (await serverDatabase()).db.orm });
}
