import { progressResponse } from '@/server/progress';

/**
 * Each read model's checkpoint, pushed as it moves (server-sent events; docs/projections.md). Never cached
 * or prerendered: every request is a stream of its own.
 */
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return progressResponse(request);
}
