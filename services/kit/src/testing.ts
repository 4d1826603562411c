// `@mlstream/kit/testing`: helpers for tests, kept out of the production barrel.
export { spec, stamped } from './processor/spec.ts';
