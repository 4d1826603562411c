// @mlstream/materializer: the Kafka → ClickHouse read model and the analytics
// queries the gateway mounts (docs/materializer.md).
export * from './config.ts';
export * from './service.ts';
export * from './schema/index.ts';
export * from './projections/index.ts';
export * from './consumer/index.ts';
export * from './queries/index.ts';
export { Sql, lit, ident, sql, parseFilter, parseOrderBy, compileSearch, runAttributes, RUN_ATTRIBUTES, DATASET_KEYS, type Clause, type Comparator, type Entity, type Literal, type OrderTerm } from './sql/index.ts';
