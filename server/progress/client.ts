import type { Positions } from './hub';

/**
 * A Node client of the progress stream, for the benchmark and the specs: fetch and a line parser, as the
 * browser's EventSource reads it (events separated by a blank line, `event:` and `data:` fields, comment lines
 * beginning with a colon). Calls `onProgress` with each event's positions and the time it arrived.
 */
export async function followProgress(
  url: string,
  onProgress: (positions: Positions, arrivedAt: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      pending += decoder.decode(read.value, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const fields = block.split('\n').filter((line) => !line.startsWith(':'));
        const event = fields.find((line) => line.startsWith('event:'))?.slice(6).trim();
        const data = fields.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
        if (event === 'progress' && data) onProgress(JSON.parse(data) as Positions, performance.now());
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
