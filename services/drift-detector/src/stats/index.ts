export * from './special.ts';
export * from './tests.ts';
export * from './page-hinkley.ts';
