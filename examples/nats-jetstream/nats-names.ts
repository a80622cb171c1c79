import type { Timeframe } from 'market-data-pipeline';
import { escapeToken } from './escape-token.js';

/**
 * Where everything lives on the server, derived from one prefix (`md` by default) so several
 * deployments (or tests) can share a server. Symbols are escaped with `escapeToken`.
 *
 * | what | name |
 * |---|---|
 * | bars of a timeframe | stream `<PREFIX>_BARS_<tf>`, subjects `<prefix>.bar.<tf>.<symbol>` |
 * | state documents | KV bucket `<prefix>_docs`, key `<name>.<symbol>`, or `<name>[.<scope>]` for the global ones |
 * | alerts | stream `<PREFIX>_EVENTS`, subject `<prefix>.alert.<severity>` |
 * | data responses | stream `<PREFIX>_EVENTS`, subject `<prefix>.response.<request id>` |
 * | leases | KV bucket `<prefix>_leases`, keys `partition.<n>` and `worker.<id>` |
 * | checkpoints | KV bucket `<prefix>_checkpoints`, key `partition.<n>` |
 * | raw exchange bars (gateway → `NatsSource`) | published to `<prefix>.in.<exchange>.<symbol>`, stored in stream `<PREFIX>_RAW` as `<prefix>.raw.<partition>.<exchange>.<symbol>` |
 */
export interface NatsNames {
  /** The subject prefix. */
  readonly prefix: string;
  /** The stream holding one timeframe's bars. */
  barStream(timeframe: Timeframe): string;
  /** The subject of one series' bars. */
  barSubject(symbol: string, timeframe: Timeframe): string;
  /** The stream of alerts and data responses. */
  readonly eventStream: string;
  /** The subject of an alert of a severity. */
  alertSubject(severity: string): string;
  /** The subject of the data response to a request. */
  responseSubject(requestId: string): string;
  /** The KV bucket of state documents. */
  readonly documentBucket: string;
  /** The key of a state document (`symbol` absent for `data_status` and `quality_report`). */
  documentKey(name: string, symbol: string | undefined): string;
  /** The KV bucket of leases. */
  readonly leaseBucket: string;
  /** The KV bucket of partition checkpoints. */
  readonly checkpointBucket: string;
  /** The stream of raw exchange bars, by partition. */
  readonly rawStream: string;
  /** Where a gateway publishes a raw bar (the server's mapping adds the partition). */
  rawInput(exchange: string, symbol: string): string;
  /** The subject a raw bar is stored under: its partition, exchange and symbol. */
  rawSubject(partition: number, exchange: string, symbol: string): string;
  /**
   * The entry of the server configuration's `mappings = { … }` block that maps
   * {@link NatsNames.rawInput} onto {@link NatsNames.rawSubject} with nats-server's `partition()`
   * (the same FNV-1a as `partitionOf`), e.g.
   * `"md.in.*.*": "md.raw.{{partition(8,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"`.
   */
  rawMapping(partitions: number): string;
}

/**
 * The names under one prefix (see {@link NatsNames}).
 *
 * @param prefix - Lower-case letters, digits and `_`, e.g. `md`. @defaultValue 'md'
 * @returns The names.
 * @throws When `prefix` has other characters.
 */
export function natsNames(prefix = 'md'): NatsNames {
  if (!/^[a-z0-9_]+$/.test(prefix)) throw new Error(`Expected \`prefix\` to be lower-case letters, digits and _, got \`${prefix}\``);
  const upper = prefix.toUpperCase();
  return {
    prefix,
    barStream: (timeframe) => `${upper}_BARS_${timeframe}`,
    barSubject: (symbol, timeframe) => `${prefix}.bar.${timeframe}.${escapeToken(symbol)}`,
    eventStream: `${upper}_EVENTS`,
    alertSubject: (severity) => `${prefix}.alert.${escapeToken(severity)}`,
    responseSubject: (requestId) => `${prefix}.response.${escapeToken(requestId)}`,
    documentBucket: `${prefix}_docs`,
    documentKey: (name, symbol) => (symbol === undefined ? name : `${name}.${escapeToken(symbol)}`),
    leaseBucket: `${prefix}_leases`,
    checkpointBucket: `${prefix}_checkpoints`,
    rawStream: `${upper}_RAW`,
    rawInput: (exchange, symbol) => `${prefix}.in.${escapeToken(exchange)}.${escapeToken(symbol)}`,
    rawSubject: (partition, exchange, symbol) => `${prefix}.raw.${partition}.${escapeToken(exchange)}.${escapeToken(symbol)}`,
    rawMapping: (partitions) => `"${prefix}.in.*.*": "${prefix}.raw.{{partition(${partitions},1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"`,
  };
}
