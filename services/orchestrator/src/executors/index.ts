export * from './executor.ts';
export * from './local.ts';
export * from './webhook.ts';
