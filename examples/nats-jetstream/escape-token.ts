/** Characters kept as they are in a subject token or KV key; everything else is escaped. */
const PLAIN = /^[A-Za-z0-9_-]$/;

/**
 * Escapes a symbol (or exchange name) into one NATS subject token that is also a valid KV key:
 * ASCII letters, digits, `_` and `-` stay; every other UTF-8 byte (`.`, `/`, `*`, `>`, space,
 * `=` itself, …) becomes `=` and two upper-case hex digits. The one way used in subjects and keys
 * alike; reversible with {@link unescapeToken}.
 *
 * @param text - A non-empty symbol, e.g. `BRK.B`.
 * @returns The token, e.g. `BRK=2EB` (`BTC/USDT` → `BTC=2FUSDT`).
 * @throws When `text` is empty (an empty token is not a valid subject).
 */
export function escapeToken(text: string): string {
  if (text === '') throw new Error('Expected a non-empty symbol, got ``');
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else for (const byte of new TextEncoder().encode(char)) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Reverses {@link escapeToken}.
 *
 * @param token - A token made by `escapeToken`, e.g. `BRK=2EB`.
 * @returns The original text, e.g. `BRK.B`.
 */
export function unescapeToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=') {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
