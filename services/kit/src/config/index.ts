export * from './env.ts';
export * from './connections.ts';
export * from './service.ts';
