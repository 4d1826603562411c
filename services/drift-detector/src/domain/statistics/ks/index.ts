export * from './kolmogorov.ts';
export * from './ks.ts';
