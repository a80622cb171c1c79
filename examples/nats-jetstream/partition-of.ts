import { escapeToken } from './escape-token.js';
import { fnv1a32 } from './fnv1a32.js';

/**
 * The partition of a symbol, exactly as nats-server's subject mapping `names.rawMapping(n)`
 * (`md.in.*.* → md.raw.{{partition(n,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}`) places the subject
 * `md.in.<exchange>.<symbol>` (tokens escaped with {@link escapeToken}): FNV-1a 32-bit of the two
 * tokens concatenated (no separator), mod `n`. Stable across processes, versions and machines.
 *
 * @param exchange - The exchange's name, e.g. `binance`.
 * @param symbol - The symbol, e.g. `BTCUSD`.
 * @param partitions - The number of partitions, a positive integer.
 * @returns The partition, in `[0, partitions)`.
 * @throws When `partitions` is not a positive integer.
 */
export function partitionOf(exchange: string, symbol: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new Error(`Expected \`partitions\` to be a positive integer, got \`${partitions}\``);
  return fnv1a32(new TextEncoder().encode(escapeToken(exchange) + escapeToken(symbol))) % partitions;
}
