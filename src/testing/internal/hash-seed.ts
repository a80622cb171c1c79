/**
 * A 32-bit FNV-1a hash of the parts joined with `:`, used by the test doubles to derive
 * independent, reproducible seeds (per fault step and request) from one seed.
 *
 * @param parts - numbers and strings to hash.
 * @returns An unsigned 32-bit integer.
 */
export function hashSeed(...parts: readonly (number | string)[]): number {
  const text = parts.join(':');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
