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
