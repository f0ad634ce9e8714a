import { context, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span, type SpanContext } from '@opentelemetry/api';
import { contextOf, tracingOn } from '@/contracts';
import type { Consumer, EventShape, ExternalConsumer, TransactionalConsumer } from '@/db/consumers';
import type { StoredEvent } from '@/db/event-store';
import { metrics } from './metrics';
import { tracer } from './tracing';

/** A batch's span names this many correlation ids at most: a catch-up batch of thousands would name them all. */
const correlationIdsPerSpan = 20;

/**
 * The consumer with its batches measured (duration, events applied and failures, by consumer name) and traced
 * (a span per batch, the parent of the appends and calls the batch makes). The engine sees the same consumer
 * (its name, handles, spacing), so measuring needs no change to it.
 * A transactional batch counts as applied once its `applyBatch` resolved; its transaction can still roll
 * back at the checkpoint's write, which the engine then retries, and the retry counts again.
 */
export function measuredConsumer(consumer: Consumer): Consumer {
  const { batchDuration, eventsApplied, batchFailures } = metrics();
  const labels = { consumer: consumer.name };
  function measure<T>(events: readonly StoredEvent[], apply: () => Promise<T>): Promise<T> {
    const { parent, links } = batchTrace(events);
    return tracer().startActiveSpan(`consume ${consumer.name}`, { kind: SpanKind.CONSUMER, links }, parent, async (span) => {
      // Without an exporter the span is the API's no-op: nothing to describe, so nothing is computed.
      if (span.isRecording()) describeBatch(span, consumer.name, events);
      const end = batchDuration.startTimer(labels);
      try {
        const outcome = await apply();
        eventsApplied.inc(labels, events.length);
        return outcome;
      } catch (error) {
        batchFailures.inc(labels);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        end();
        span.end();
      }
    });
  }
  if (consumer.kind === 'transactional') {
    const measured: TransactionalConsumer<EventShape, string> = {
      ...consumer,
      applyBatch: (tx, events) => measure(events, () => consumer.applyBatch(tx, events)),
    };
    return measured;
  }
  const measured: ExternalConsumer<EventShape, string> = {
    ...consumer,
    applyBatch: (events, batch) => measure(events, () => consumer.applyBatch(events, batch)),
  };
  return measured;
}

/**
 * Where a batch's span sits. A batch whose events all came from traced appends of one trace (a live batch of one
 * command's events, the usual case) continues that trace, as a child of the latest of those appends: a checkout's
 * command, the process's decisions, the payment's charge and the relay's publish are then one trace. A batch of
 * several traces' events (a catch-up, a busy shop) runs for many commands at once: it starts a trace of its own,
 * linked to each of theirs (up to 20). Untraced, nothing is looked at.
 */
function batchTrace(events: readonly StoredEvent[]): { parent: Context; links: Link[] } {
  if (!tracingOn()) return { parent: context.active(), links: [] };
  const appends = new Map<string, SpanContext>();
  let untraced = false;
  for (const { metadata } of events) {
    if (!metadata.traceparent) untraced = true;
    else if (!appends.has(metadata.traceparent)) {
      const append = trace.getSpanContext(contextOf(metadata));
      if (append) appends.set(metadata.traceparent, append);
    }
  }
  const traces = new Set([...appends.values()].map((append) => append.traceId));
  if (traces.size === 1 && !untraced) return { parent: trace.setSpanContext(context.active(), [...appends.values()].at(-1)!), links: [] };
  const links = [...appends.values()].slice(0, correlationIdsPerSpan).map((append): Link => ({ context: append }));
  return { parent: context.active(), links };
}

/**
 * The batch's consumer, size and log range, and the correlation ids of the commands its events came from, so
 * a trace search by a command's correlation id finds the batches that applied it. One id (the usual live
 * batch) is `hindsight.correlation_id`, as on the command's own span.
 */
function describeBatch(span: Span, consumer: string, events: readonly StoredEvent[]): void {
  const correlationIds = [...new Set(events.map((event) => event.metadata.correlationId))];
  span.setAttributes({
    'messaging.system': 'hindsight',
    'messaging.consumer.group.name': consumer,
    'messaging.batch.message_count': events.length,
    'hindsight.consumer': consumer,
    'hindsight.correlation_ids': correlationIds.slice(0, correlationIdsPerSpan),
  });
  if (events.length > 0) {
    span.setAttributes({ 'hindsight.first_position': events[0]!.globalPosition, 'hindsight.last_position': events.at(-1)!.globalPosition });
  }
  if (correlationIds.length === 1) span.setAttribute('hindsight.correlation_id', correlationIds[0]!);
}
