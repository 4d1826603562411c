export * from './definitions.ts';
export * from './values.ts';
export * from './point-in-time.ts';
