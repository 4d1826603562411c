export * from './settings.ts';
export * from './stack.ts';
export type { StackPart } from './part.ts';
export { apicurioDefaults, apicurioJavaNeed, chooseJava, planJava, type JavaChoice, type JavaPlan, type JavaRuntime } from './java.ts';
export * from './cluster.ts';
