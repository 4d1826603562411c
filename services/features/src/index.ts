export * from './domain/index.ts';
export * from './processor/index.ts';
export * from './api/index.ts';
export * from './service.ts';
