import { escapeToken } from './escape-token.js';

/** FNV-1a 32-bit offset basis. */
const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
const FNV_PRIME = 0x01000193;

/**
 * The 32-bit FNV-1a hash of a byte string, as Go's `hash/fnv.New32a` (which nats-server's
 * `partition()` subject mapping uses) computes it.
 *
 * @param bytes - The bytes to hash.
 * @returns The hash, an unsigned 32-bit integer (e.g. `fnv1a32(utf8('a'))` is `0xe40c292c`).
 */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = FNV_OFFSET;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash;
}

/**
 * The partition of a symbol, exactly as nats-server's subject mapping
 * `md.in.*.* → md.part.{{partition(n,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}` places the subject
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
