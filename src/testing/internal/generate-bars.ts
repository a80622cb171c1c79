/**
 * The bar generator behind `generateOhlcv` and `generateOhlcvColumns`: one pass that emits
 * each row through a callback, so rows and columns come from the same random sequence.
 */
import { ConfigError } from '../../errors/config-error.js';
import { isFixedTimeframe, TIMEFRAMES, type FixedTimeframe } from '../../time/timeframe.js';
import { timeframeMs } from '../../time/timeframe-ms.js';
import {
  ANOMALY_RULES,
  DEFAULT_GENERATE_OHLCV,
  type AnomalyRule,
  type GenerateOhlcvOptions,
  type GeneratedAnomaly,
  type GeneratedDuplicate,
  type GeneratedGap,
  type GeneratedTruth,
} from '../generate-ohlcv-options.js';
import { mulberry32, normal } from './seeded-random.js';

/** Receives one generated row. */
export type EmitBar = (timestamp: number, open: number, high: number, low: number, close: number, volume: number) => void;

function check(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) {
    throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${String(value)}\``, { path: [key], value });
  }
}

function rate(options: GenerateOhlcvOptions, key: 'gapRate' | 'duplicateRate' | 'anomalyRate'): number {
  const value = options[key] ?? DEFAULT_GENERATE_OHLCV[key];
  check(value >= 0 && value <= 1, key, value, 'a probability between 0 and 1');
  return value;
}

/** The options with defaults applied; throws `ConfigError` on a bad one. */
export function resolveGenerateOptions(options: GenerateOhlcvOptions): Required<GenerateOhlcvOptions> {
  const d = DEFAULT_GENERATE_OHLCV;
  const seed = options.seed ?? d.seed;
  check(Number.isSafeInteger(seed), 'seed', seed, 'an integer');
  const start = options.start ?? d.start;
  check(Number.isSafeInteger(start), 'start', start, 'an integer epoch-ms timestamp');
  const count = options.count ?? d.count;
  check(Number.isSafeInteger(count) && count >= 0, 'count', count, 'a non-negative integer');
  const timeframe: FixedTimeframe = options.timeframe ?? d.timeframe;
  check(
    (TIMEFRAMES as readonly string[]).includes(timeframe) && isFixedTimeframe(timeframe),
    'timeframe',
    timeframe,
    'a fixed-width timeframe (1m … 1W)',
  );
  const startPrice = options.startPrice ?? d.startPrice;
  check(Number.isFinite(startPrice) && startPrice > 0, 'startPrice', startPrice, 'a positive number');
  const volatility = options.volatility ?? d.volatility;
  check(Number.isFinite(volatility) && volatility >= 0, 'volatility', volatility, 'a non-negative number');
  const baseVolume = options.baseVolume ?? d.baseVolume;
  check(Number.isFinite(baseVolume) && baseVolume > 0, 'baseVolume', baseVolume, 'a positive number');
  const maxGapBars = options.maxGapBars ?? d.maxGapBars;
  check(Number.isSafeInteger(maxGapBars) && maxGapBars >= 1, 'maxGapBars', maxGapBars, 'a positive integer');
  const anomalyRules = options.anomalyRules ?? d.anomalyRules;
  check(
    anomalyRules.length > 0 && anomalyRules.every((r) => (ANOMALY_RULES as readonly string[]).includes(r)),
    'anomalyRules',
    anomalyRules,
    `a non-empty list of ${ANOMALY_RULES.join(', ')}`,
  );
  return {
    seed,
    start,
    count,
    timeframe,
    startPrice,
    volatility,
    baseVolume,
    gapRate: rate(options, 'gapRate'),
    maxGapBars,
    duplicateRate: rate(options, 'duplicateRate'),
    anomalyRate: rate(options, 'anomalyRate'),
    anomalyRules: [...anomalyRules],
  };
}

/**
 * Generates the series slot by slot and emits each row; returns what it did.
 * Rows emitted = slots outside gaps + duplicates.
 */
export function generateBars(o: Required<GenerateOhlcvOptions>, emit: EmitBar): GeneratedTruth {
  const random = mulberry32(o.seed);
  const width = timeframeMs(o.timeframe);
  const { count, volatility, baseVolume, gapRate, duplicateRate, anomalyRate, maxGapBars, anomalyRules } = o;
  const wick = volatility * 0.5;
  const gaps: GeneratedGap[] = [];
  const duplicates: GeneratedDuplicate[] = [];
  const anomalies: GeneratedAnomaly[] = [];
  let price = o.startPrice;
  let row = 0;
  let slot = 0;
  let afterGap = false;
  while (slot < count) {
    const timestamp = o.start + slot * width;
    // A gap may start anywhere but the first slot, ends before the last slot, and is
    // followed by a bar (two gaps in a row would be one longer gap).
    if (gapRate > 0 && slot > 0 && slot < count - 1 && !afterGap && random() < gapRate) {
      const missing = Math.min(1 + Math.floor(random() * maxGapBars), count - 1 - slot);
      // The price keeps walking through the missing slots.
      for (let k = 0; k < missing; k++) price *= Math.exp(volatility * normal(random));
      gaps.push({ start: timestamp, end: timestamp + missing * width, missing, index: row });
      slot += missing;
      afterGap = true;
      continue;
    }
    afterGap = false;
    let open = price;
    const close = open * Math.exp(volatility * normal(random));
    let high = Math.max(open, close) * Math.exp(Math.abs(normal(random)) * wick);
    let low = Math.min(open, close) * Math.exp(-Math.abs(normal(random)) * wick);
    let volume = baseVolume * Math.exp(0.5 * normal(random));
    price = close;
    let anomalous = false;
    if (anomalyRate > 0 && random() < anomalyRate) {
      const rule = anomalyRules[Math.floor(random() * anomalyRules.length)] as AnomalyRule;
      let breaks: readonly AnomalyRule[] = [rule];
      switch (rule) {
        case 'high_gte_low': {
          const top = Math.max(open, close);
          high = Math.min(open, close) * 0.999;
          low = top * 1.001;
          breaks = ['high_gte_low', 'high_gte_open_close', 'low_lte_open_close'];
          break;
        }
        case 'high_gte_open_close':
          open = high * 1.001;
          break;
        case 'low_lte_open_close':
          open = low * 0.999;
          break;
        case 'volume_non_negative':
          volume = -(volume + 1);
          break;
        case 'finite_values':
          high = Number.POSITIVE_INFINITY;
          break;
      }
      anomalies.push({ index: row, timestamp, rule, breaks });
      anomalous = true;
    }
    emit(timestamp, open, high, low, close, volume);
    row++;
    if (!anomalous && duplicateRate > 0 && random() < duplicateRate) {
      emit(timestamp, open, high, low, close, volume);
      duplicates.push({ index: row, of: row - 1, timestamp });
      row++;
    }
    slot++;
  }
  return { gaps, duplicates, anomalies };
}
