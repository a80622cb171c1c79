/**
 * The `out` option of the indicator kernels: checks a caller's result array. Never exported
 * from the package.
 */
import { ConfigError } from '../../errors/config-error.js';

/**
 * The array an indicator writes its `n` values into: a fresh one without `out`, otherwise `out`
 * itself after checking it. An empty series (malformed columns are read as one) writes nothing
 * and gives `out.subarray(0, 0)`, so bad data never throws.
 *
 * @param out - The caller's array, if any.
 * @param n - Number of bars of the series as read.
 * @param inputs - The columns the kernel reads, which `out` must not share memory with.
 * @throws ConfigError when `out` is not a `Float64Array`, its length is not `n`, or it overlaps
 *   one of `inputs`.
 */
export function outputArray(out: Float64Array | undefined, n: number, inputs: readonly ArrayLike<number>[]): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array)) {
    throw new ConfigError(`Expected \`out\` to be a Float64Array, got \`${Object.prototype.toString.call(out)}\``, {
      path: ['out'],
      value: out,
    });
  }
  if (n === 0) return out.subarray(0, 0);
  if (out.length !== n) {
    throw new ConfigError(`Expected \`out\` to hold one value per bar (${n}), got a Float64Array of length ${out.length}`, {
      path: ['out'],
      value: out,
    });
  }
  for (const input of inputs) {
    if (ArrayBuffer.isView(input) && overlaps(out, input)) {
      throw new ConfigError('Expected `out` not to share memory with the input columns: the kernel reads them after writing', {
        path: ['out'],
        value: out,
      });
    }
  }
  return out;
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
