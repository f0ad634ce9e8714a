export * from './types';
export { inProcessTransport } from './in-process';
export { natsTransport, type NatsTransportOptions } from './nats';
export { MessagesRejectedError, type MessageRejection } from './rejections';
