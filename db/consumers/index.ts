/** The consumer engine: everything that reads the log runs on it. See docs/projections.md. */
export type { BatchOptions, BatchResult, ConsumerSource } from './batches';
export { consumerBatches } from './batches';
export { forEachByKey } from './per-key';
export { catchUp } from './catch-up';
export type { Consumer, EventShape, ExternalBatch, ExternalConsumer, ExternalOutcome, Handled, StoredEventOf, TransactionalConsumer } from './consumer';
export { runConsumers, type EngineOptions } from './engine';
export { readConsumerStatus, type ConsumerStatus } from './status';
export { defaultLeaseTimings, newInstanceId, pauseConsumer, resumeConsumer, type LeaseTimings } from './leases';
export { pause } from './waker';
export { defaultSampleTimings, readLagHistory, recordLagSamples, type LagHistory, type LagPoint, type SampleTimings } from './samples';
