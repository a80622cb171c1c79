import fc from 'fast-check';
import { TIMEFRAMES } from '../../src/time/index.js';

/** Any canonical timeframe. */
export const timeframeArb = fc.constantFrom(...TIMEFRAMES);

/** Epoch ms from 1901 to 2199: wide enough to cross 1970, 2000, 2024 and 2100. */
export const timestampArb = fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2199, 11, 31) });
