/**
 * PostgreSQL's binary format of one-dimensional arrays (what `array_recv` reads), for query
 * parameters: node-postgres sends a `Buffer` parameter in binary format, so a column of a
 * batch goes to the server without turning every number into text and back.
 *
 * Layout: int32 number of dimensions (1), int32 has-nulls flag, int32 element type OID, then per
 * dimension int32 length and int32 lower bound (1); then per element int32 byte length (-1 for
 * NULL) and the element's bytes, all big-endian.
 */

/** Element types used here, by their OID (`pg_type.oid`). */
const OID = { int8: 20, int4: 23, text: 25, float8: 701 } as const;

type ElementType = keyof typeof OID;

/** Bytes of one non-null element of a fixed-size type. */
const WIDTH = { int8: 8, int4: 4, float8: 8 } as const;

function header(view: DataView, type: ElementType, length: number, hasNull: boolean): number {
  view.setInt32(0, 1);
  view.setInt32(4, hasNull ? 1 : 0);
  view.setInt32(8, OID[type]);
  view.setInt32(12, length);
  view.setInt32(16, 1);
  return 20;
}

/**
 * A `float8[]`, `int8[]` or `int4[]` parameter in binary format.
 *
 * @param type - The element type (`int8` and `int4` values must be integers in range).
 * @param values - The elements; `null` (or `undefined`) is SQL NULL.
 * @returns The encoded array.
 */
export function binaryNumberArray(type: 'float8' | 'int8' | 'int4', values: readonly (number | null | undefined)[]): Buffer {
  const width = WIDTH[type];
  let nulls = 0;
  for (const v of values) if (v === null || v === undefined) nulls++;
  const buffer = Buffer.allocUnsafe(20 + values.length * 4 + (values.length - nulls) * width);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let at = header(view, type, values.length, nulls > 0);
  for (const v of values) {
    if (v === null || v === undefined) {
      view.setInt32(at, -1);
      at += 4;
      continue;
    }
    view.setInt32(at, width);
    at += 4;
    if (type === 'float8') view.setFloat64(at, v);
    else if (type === 'int8') view.setBigInt64(at, BigInt(v));
    else view.setInt32(at, v);
    at += width;
  }
  return buffer;
}

/**
 * A `text[]` parameter in binary format (UTF-8 elements).
 *
 * @param values - The elements; `null` (or `undefined`) is SQL NULL.
 * @returns The encoded array.
 */
export function binaryTextArray(values: readonly (string | null | undefined)[]): Buffer {
  // A batch's strings repeat (symbols, timeframes, flags): each distinct one is encoded once.
  const cache = new Map<string, Buffer>();
  const encoded = values.map((v) => {
    if (v === null || v === undefined) return null;
    let bytes = cache.get(v);
    if (bytes === undefined) {
      bytes = Buffer.from(v, 'utf8');
      cache.set(v, bytes);
    }
    return bytes;
  });
  let size = 20;
  for (const e of encoded) size += 4 + (e?.length ?? 0);
  const buffer = Buffer.allocUnsafe(size);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let at = header(
    view,
    'text',
    values.length,
    encoded.some((e) => e === null),
  );
  for (const e of encoded) {
    view.setInt32(at, e === null ? -1 : e.length);
    at += 4;
    if (e !== null) {
      e.copy(buffer, at);
      at += e.length;
    }
  }
  return buffer;
}
