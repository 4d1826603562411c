export * from './escape.ts';
export * from './filter.ts';
export * from './compile.ts';
