export * from './types.ts';
export * from './facts.ts';
