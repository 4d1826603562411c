export * from './generator.ts';
