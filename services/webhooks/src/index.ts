export * from './domain/index.ts';
export * from './delivery/index.ts';
export * from './config.ts';
export * from './service.ts';
export * from './subscriptions-view.ts';
