import { SpanStatusCode } from '@opentelemetry/api';
import { currentTraceContext } from '@/contracts';
import type { EventMetadata, EventStore } from '@/db/event-store';
import { metrics } from './metrics';
import { tracer } from './tracing';

/**
 * The event store with its appends measured (duration by outcome, events appended) and traced (a span per
 * append with its correlation id, a child of the command's procedure span or of the consumer's batch). A traced
 * append stores its span's context in the events' metadata, so what the events cause later continues the trace
 * (measured-consumer.ts, the relay's publish). Everything else is the store itself.
 */
export function measuredEventStore(store: EventStore): EventStore {
  const { appendDuration, eventsAppended } = metrics();
  function measure<T extends { kind: 'appended' | 'duplicate' }>(
    streams: readonly string[],
    events: number,
    metadata: EventMetadata,
    append: (metadata: EventMetadata) => Promise<T>,
  ): Promise<T> {
    return tracer().startActiveSpan('eventstore.append', async (span) => {
      // Only a recording span has a context worth keeping: untraced, the metadata is the caller's as it is.
      const traced = span.isRecording() ? { ...metadata, ...currentTraceContext() } : metadata;
      span.setAttributes({
        'hindsight.streams': streams.join(','),
        'hindsight.events': events,
        'hindsight.correlation_id': metadata.correlationId,
      });
      const end = appendDuration.startTimer();
      try {
        const outcome = await append(traced);
        end({ outcome: outcome.kind });
        span.setAttribute('hindsight.outcome', outcome.kind);
        if (outcome.kind === 'appended') eventsAppended.inc(events);
        return outcome;
      } catch (error) {
        end({ outcome: 'failed' });
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'append failed' });
        throw error;
      } finally {
        span.end();
      }
    });
  }
  return {
    ...store,
    append: (streamId, events, options) =>
      measure([streamId], events.length, options.metadata, (metadata) => store.append(streamId, events, { ...options, metadata })),
    appendToStreams: (writes, options) =>
      measure(
        writes.map((write) => write.streamId),
        writes.reduce((sum, write) => sum + write.events.length, 0),
        options.metadata,
        (metadata) => store.appendToStreams(writes, { ...options, metadata }),
      ),
  };
}
