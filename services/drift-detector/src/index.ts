export * from './domain/index.ts';
export * from './synthetic/index.ts';
export * from './consumer/index.ts';
export * from './config.ts';
export * from './service.ts';
