export * from './settings.ts';
export * from './stack.ts';
export type { StackPart } from './part.ts';
