/**
 * Whether two state documents say the same, their own `updated_at` aside: a structural
 * comparison of plain JSON values (objects, arrays, strings, numbers, booleans, `null`), cheaper
 * than serialising both. Keys whose value is `undefined` count as absent, as in JSON.
 */
export function sameContent(a: object, b: object): boolean {
  return equalObjects(a as Record<string, unknown>, b as Record<string, unknown>, 'updated_at');
}

function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i], b[i])) return false;
    return true;
  }
  return equalObjects(a as Record<string, unknown>, b as Record<string, unknown>, undefined);
}

function equalObjects(a: Record<string, unknown>, b: Record<string, unknown>, ignored: string | undefined): boolean {
  let count = 0;
  for (const key in a) {
    if (key === ignored || a[key] === undefined) continue;
    count++;
    if (!equalValues(a[key], b[key])) return false;
  }
  for (const key in b) if (key !== ignored && b[key] !== undefined) count--;
  return count === 0;
}
