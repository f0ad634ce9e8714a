import { webMetricsResponse } from '@/server/telemetry/endpoint';

/** Prometheus scrapes the web server here (docs/operations.md); every scrape reads the lag afresh. */
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return webMetricsResponse(request);
}
