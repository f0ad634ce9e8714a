export * from './events';
export * from './messages';
export * from './subjects';
export * from './tracing';
export * from './transport';
