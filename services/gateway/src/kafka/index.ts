export * from './producer.ts';
export * from './results.ts';
export * from './positions.ts';
export * from './tail.ts';
export * from './run-index.ts';
