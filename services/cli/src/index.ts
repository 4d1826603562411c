export * from './stack/index.ts';
