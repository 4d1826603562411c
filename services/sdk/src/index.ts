export * from './client.ts';
export * from './http/index.ts';
export * from './batching/index.ts';
export * from './tracking/index.ts';
export * from './registry/index.ts';
export * from './facts/index.ts';
export * from './kafka/index.ts';
export * from './streams/index.ts';
