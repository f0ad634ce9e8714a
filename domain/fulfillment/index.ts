export * from './decider';
export * from './events';
export * from './inputs';
export * from './policy';
export * from './state';
export * from './steps';
