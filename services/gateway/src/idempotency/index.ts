export * from './cache.ts';
export * from './keys.ts';
