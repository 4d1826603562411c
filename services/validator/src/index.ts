export * from './domain/index.ts';
export * from './service.ts';
