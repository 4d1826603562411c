export * from './env.ts';
export * from './connections.ts';
