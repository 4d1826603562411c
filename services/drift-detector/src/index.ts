export * from './domain/statistics/index.ts';
export * from './detector/index.ts';
export * from './synthetic/index.ts';
export * from './consumer/index.ts';
export * from './config.ts';
export * from './reference/index.ts';
export * from './service.ts';
