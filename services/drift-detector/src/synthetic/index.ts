export * from './generator.ts';
export * from './quality-incidents.ts';
