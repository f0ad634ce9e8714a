export * from './events';
export * from './score';
