export * from './producer.ts';
export * from './results.ts';
export * from './positions.ts';
export * from './tail.ts';
