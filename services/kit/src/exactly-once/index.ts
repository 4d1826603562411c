export * from './transactional-producer.ts';
export * from './exactly-once.ts';
