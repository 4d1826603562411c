export * from './service.ts';
export * from './config/index.ts';
export * from './auth/index.ts';
export * from './limits/index.ts';
export * from './idempotency/index.ts';
export * from './kafka/index.ts';
export * from './api/index.ts';
export * from './http/index.ts';
