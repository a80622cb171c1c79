import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import type { MutableColumns } from '../../internal/columns.js';

type OptionalField = 'quoteVolume' | 'trades' | 'takerBuyVolume' | 'count';
const OPTIONAL: readonly OptionalField[] = ['quoteVolume', 'trades', 'takerBuyVolume', 'count'];

/**
 * Builds `m` rows picking, for row `j`, row `row[j]` of `inputs[which[j]]`; `row[j] === -1`
 * makes a hole (`NaN` in every number, flag 0). An optional column exists in the output when
 * any input has it; rows from an input without it hold `NaN`.
 */
export function gatherColumns(inputs: readonly OhlcvColumns[], which: Uint8Array | undefined, row: Int32Array, m: number): MutableColumns {
  const pick = (read: (c: OhlcvColumns) => Float64Array | undefined): Float64Array => {
    const out = new Float64Array(m);
    const arrays = inputs.map(read);
    for (let j = 0; j < m; j++) {
      const r = row[j] as number;
      const src = r < 0 ? undefined : arrays[which === undefined ? 0 : (which[j] as number)];
      out[j] = src === undefined ? Number.NaN : (src[r] as number);
    }
    return out;
  };
  const out: MutableColumns = {
    length: m,
    timestamp: pick((c) => c.timestamp),
    open: pick((c) => c.open),
    high: pick((c) => c.high),
    low: pick((c) => c.low),
    close: pick((c) => c.close),
    volume: pick((c) => c.volume),
  };
  for (const field of OPTIONAL) {
    if (inputs.some((c) => c[field] !== undefined)) out[field] = pick((c) => c[field]);
  }
  if (inputs.some((c) => c.flags !== undefined)) {
    const flags = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      const r = row[j] as number;
      const src = r < 0 ? undefined : inputs[which === undefined ? 0 : (which[j] as number)]?.flags;
      flags[j] = src === undefined ? 0 : (src[r] as number);
    }
    out.flags = flags;
  }
  return out;
}
