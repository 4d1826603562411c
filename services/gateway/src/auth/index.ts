export * from './keys.ts';
export * from './hook.ts';
