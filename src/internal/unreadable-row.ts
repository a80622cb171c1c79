/**
 * The issue every parser leaves for a row whose reading threw (a throwing getter, a Proxy
 * trap): the parsers read rows inside `try`, so nothing a row does escapes them. Shared by
 * `schemas/` and `formats/`. Never exported from the package.
 */
import type { DataIssue } from '../errors/result.js';

/**
 * The issue of a row whose reading threw (a throwing getter, a Proxy trap): the row is refused
 * whole, and the thrown value is named, never rethrown.
 */
export function unreadableRow(index: number | undefined, error: unknown): DataIssue {
  const what = describeThrown(error);
  if (index === undefined) return { code: 'unreadable_row', path: [], message: `Reading the input threw (${what}); nothing was read` };
  return { code: 'unreadable_row', path: [index], message: `\`${index}\`: reading the row threw (${what}); it is refused` };
}

/** A thrown value, named without touching it more than needed (its own getters may throw too). */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${String(error.message).slice(0, 80)}` : typeof error;
  } catch {
    return 'a value that cannot be shown';
  }
}
