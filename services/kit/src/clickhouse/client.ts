import { createClient, type ClickHouseClient } from '@clickhouse/client';

export type { ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseOptions {
  url: string;
  username?: string;
  password?: string;
  /** Database for unqualified table names; omit to use the server default. */
  database?: string;
  /** Per-request timeout in ms; default 30 000. */
  requestTimeoutMs?: number;
}

/**
 * ClickHouse HTTP client with the settings every mlstream query relies on.
 * `date_time_input_format=best_effort` lets ClickHouse 18.16 parse ISO-8601
 * timestamps in JSONEachRow inserts (current versions accept them anyway).
 * `output_format_json_quote_64bit_integers=1` keeps (U)Int64 values as JSON
 * strings: 18.16 always did, ClickHouse 25.8+ writes bare numbers by
 * default, and one answer shape on every version is what callers parse
 * (docs/clickhouse.md).
 */
export function createClickHouse(options: ClickHouseOptions): ClickHouseClient {
  if (!/^https?:\/\//.test(options.url)) {
    throw new TypeError(`createClickHouse: url must be http(s)://host:port, got ${JSON.stringify(options.url)}`);
  }
  return createClient({
    url: options.url,
    username: options.username ?? 'default',
    password: options.password ?? '',
    ...(options.database ? { database: options.database } : {}),
    request_timeout: options.requestTimeoutMs ?? 30_000,
    clickhouse_settings: { date_time_input_format: 'best_effort', output_format_json_quote_64bit_integers: 1 },
    compression: { request: false, response: false },
  });
}
