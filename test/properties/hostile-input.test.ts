/**
 * The fuzz suite that stays (issue 16): hostile rows and columns through every public batch
 * function and parser. The promises it keeps, from the README ("Bad market data never throws: it
 * becomes issues"; "Hostile input"):
 *
 * - no call throws, except a `ConfigError` for bad options;
 * - no invalid row is accepted: a parser's rows pass the schema, `validateOhlcv` never says
 *   `valid` of bars that break a rule, and no function hands back a row holding a non-number;
 * - `Object.prototype` is never touched (rows carry `__proto__`, `constructor`, `prototype`).
 *
 * Seeded (`HOSTILE_SEED` overrides the seed; fast-check prints the seed and the shrunk
 * counterexample on failure) and bounded: each property stops after its run count or its time
 * budget, whichever comes first, so the suite takes about 30 s at most in CI.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import type { Ohlcv, OhlcvColumns, OhlcvSeries } from '../../src/index.js';

const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_206);
/** Time budget of one property, ms: four properties stay within about 30 s on a loaded machine. */
const BUDGET_MS = 6_000;
const RUNS = 300;
const settings = (runs = RUNS): { seed: number; numRuns: number; interruptAfterTimeLimit: number; markInterruptAsFailure: boolean } => ({
  seed: SEED,
  numRuns: runs,
  interruptAfterTimeLimit: BUDGET_MS,
  markInterruptAsFailure: false,
});

const T0 = Date.UTC(2024, 0, 1); // a Monday
const MINUTE = 60_000;
const NOW = T0 + 3 * 86_400_000;

// ---------------------------------------------------------------------------------------------
// Hostile values, rows and series.

/** Values a JSON feed, a buggy adapter or an attacker can put where a number belongs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom<unknown>(
    null,
    undefined,
    '100',
    '',
    ' 1',
    '0x10',
    true,
    false,
    [],
    [1],
    {},
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    5n,
    'interpolated',
  ),
  fc.string({ maxLength: 4 }),
);

/** A clean bar on the 1m grid near T0 (prices obey the OHLC rules). */
const cleanBar: fc.Arbitrary<Ohlcv> = fc
  .record({
    minute: fc.integer({ min: 0, max: 60 }),
    low: fc.double({ min: 1, max: 100, noNaN: true }),
    spread: fc.double({ min: 0, max: 10, noNaN: true }),
    openAt: fc.double({ min: 0, max: 1, noNaN: true }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.double({ min: 0, max: 1000, noNaN: true }),
  })
  .map(({ minute, low, spread, openAt, closeAt, volume }) => ({
    timestamp: T0 + minute * MINUTE,
    open: low + spread * openAt,
    high: low + spread,
    low,
    close: low + spread * closeAt,
    volume,
  }));

const BAR_KEYS = ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'trades', 'takerBuyVolume', 'flag', 'count'];

/** A row a batch function may meet: clean, damaged field by field, or not a row at all. */
const hostileRow: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: cleanBar },
  {
    weight: 4,
    arbitrary: fc
      .tuple(cleanBar, fc.dictionary(fc.constantFrom(...BAR_KEYS), hostileValue, { maxKeys: 3 }))
      .map(([bar, damage]) => ({ ...bar, ...damage })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      null,
      undefined,
      0,
      'bar',
      [],
      [T0, 1, 2, 0.5, 1.5, 10],
      // Own `__proto__` / `constructor` keys, as JSON.parse makes them.
      JSON.parse('{"timestamp":1704067200000,"open":1,"high":2,"low":0.5,"close":1.5,"volume":1,"__proto__":{"polluted":1}}'),
      JSON.parse(
        '{"timestamp":1704067260000,"open":1,"high":2,"low":0.5,"close":1.5,"volume":1,"constructor":{"prototype":{"polluted":1}}}',
      ),
      Object.assign(Object.create(null) as object, { timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }),
    ),
  },
);

/** Rows with holes, `null`s and damaged fields, in any order. */
const hostileRows: fc.Arbitrary<Ohlcv[]> = fc
  .oneof(fc.array(hostileRow, { maxLength: 24 }), fc.sparseArray(hostileRow, { maxLength: 24 }))
  .map((rows) => rows as Ohlcv[]);

/** Columns whose `length`, arrays and values lie: built from rows, then damaged. */
const hostileColumns: fc.Arbitrary<OhlcvColumns> = fc
  .record({
    rows: fc.array(cleanBar, { maxLength: 24 }),
    length: fc.option(
      fc.oneof(
        fc.integer({ min: -3, max: 30 }),
        fc.constantFrom<unknown>(Number.NaN, 1.5, 1e7, Number.POSITIVE_INFINITY, '3', null, undefined, -0),
      ),
      { nil: Symbol.for('keep') },
    ),
    field: fc.constantFrom('timestamp', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'flags', 'count'),
    column: fc.option(
      fc.constantFrom<unknown>('plain array', 'short', 'float32', 'missing', 'strings', 'flags 255', 'NaN values', 'Infinity values'),
      { nil: undefined },
    ),
  })
  .map(({ rows, length, field, column }) => {
    const base: Record<string, unknown> = { ...api.toColumns(rows) };
    const n = rows.length;
    if (length !== Symbol.for('keep')) base.length = length;
    if (column === 'plain array') base[field] = Array.from({ length: n }, (_, i) => i);
    if (column === 'short') base[field] = field === 'flags' ? new Uint8Array(Math.max(0, n - 1)) : new Float64Array(Math.max(0, n - 1));
    if (column === 'float32') base[field] = new Float32Array(n);
    if (column === 'missing') delete base[field];
    if (column === 'strings') base[field] = Array.from({ length: n }, () => '100');
    if (column === 'flags 255') base.flags = new Uint8Array(n).fill(255);
    if (column === 'NaN values') base[field] = new Float64Array(n).fill(Number.NaN);
    if (column === 'Infinity values') base[field] = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    return base as unknown as OhlcvColumns;
  });

const hostileSeries: fc.Arbitrary<OhlcvSeries> = fc.oneof(hostileRows, hostileColumns);

/** Hostile trades and order books, for the tick and book functions. */
const hostileTick: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .record({ k: fc.integer({ min: 0, max: 120 }), price: fc.double({ min: 1, max: 10, noNaN: true }), id: fc.nat() })
    .map(({ k, price, id }) => ({ timestamp: T0 + k * 1000, price, quantity: 1, side: id % 2 === 0 ? 'buy' : 'sell', tradeId: id })),
  fc.dictionary(fc.constantFrom('timestamp', 'price', 'quantity', 'side', 'tradeId'), hostileValue, { maxKeys: 5 }),
  fc.constantFrom<unknown>(null, undefined, 7, 'trade', []),
);
const hostileLevel: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(hostileValue, hostileValue),
  fc.record({ price: hostileValue, quantity: hostileValue }),
  hostileValue,
);
const hostileBook: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    timestamp: fc.oneof(fc.constant(T0), hostileValue),
    bids: fc.oneof(fc.array(hostileLevel, { maxLength: 4 }), hostileValue),
    asks: fc.oneof(fc.array(hostileLevel, { maxLength: 4 }), hostileValue),
  }),
  hostileValue,
);

/**
 * A row whose reading throws or runs code, made only inside the property (fast-check inspects
 * and clones generated values, and a revoked Proxy throws on that): see {@link materialize}.
 */
class Exotic {
  constructor(readonly make: () => unknown) {}
}

/** `input` with every {@link Exotic} placeholder replaced by the row it makes (holes kept). */
function materialize(input: unknown): unknown {
  return Array.isArray(input) ? input.map((item: unknown) => (item instanceof Exotic ? item.make() : item)) : input;
}

/** Rows whose reading throws or runs code: getters, Proxies, revoked Proxies. */
const exoticRow: fc.Arbitrary<unknown> = fc
  .constantFrom<() => unknown>(
    () =>
      Object.defineProperty({ timestamp: T0, open: 1, high: 2, low: 0.5, volume: 1 }, 'close', {
        enumerable: true,
        get(): never {
          throw new Error('getter');
        },
      }),
    () =>
      new Proxy(
        {},
        {
          get(): never {
            throw new TypeError('trap');
          },
        },
      ),
    () =>
      new Proxy([T0, 1, 2, 0.5, 1.5, 10], {
        get(target, key, receiver): unknown {
          if (key === '4') throw new Error('index trap');
          return Reflect.get(target, key, receiver) as unknown;
        },
      }),
    () => {
      const { proxy, revoke } = Proxy.revocable({ timestamp: T0 }, {});
      revoke();
      return proxy;
    },
  )
  .map((make) => new Exotic(make));

// ---------------------------------------------------------------------------------------------
// Every public batch function, called with valid options.

/** A bar-series function: its call, and what it hands back as bars (to check no non-number leaks). */
interface SeriesCall {
  readonly call: (series: OhlcvSeries) => unknown;
  readonly bars?: (result: unknown) => OhlcvSeries | readonly (Ohlcv | undefined)[];
}

const barsOf = (result: unknown): OhlcvSeries => (result as { bars: OhlcvSeries }).bars;

/** Runs `fn`, letting through only the documented `ConfigError` of a full grid past `maxGridBars`. */
function gridBound(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    if (api.isConfigError(error) && error.message.includes('maxGridBars')) return undefined;
    throw error;
  }
}

const SERIES_CALLS: Record<string, SeriesCall> = {
  toColumns: { call: (s) => api.toColumns(s), bars: (r) => r as OhlcvSeries },
  toRows: { call: (s) => api.toRows(s), bars: (r) => r as OhlcvSeries },
  toCcxtOhlcv: { call: (s) => api.toCcxtOhlcv(s) },
  isOhlcvColumns: { call: (s) => api.isOhlcvColumns(s) },
  validateOhlcv: { call: (s) => api.validateOhlcv(s, { timeframe: '1m' }) },
  checkValidity: { call: (s) => api.checkValidity(s) },
  checkCompleteness: { call: (s) => api.checkCompleteness(s, { timeframe: '1m', end: T0 + 61 * MINUTE }) },
  checkConsistency: { call: (s) => api.checkConsistency(s, { timeframe: '1m', reference: { kind: 'source', bars: s } }) },
  detectOutliers: { call: (s) => api.detectOutliers(s) },
  scoreQuality: { call: (s) => api.scoreQuality(s, { timeframe: '1m', now: T0 + 61 * MINUTE }) },
  detectGaps: { call: (s) => api.detectGaps(s, '1m') },
  fillGaps: { call: (s) => api.fillGaps(s, '1m'), bars: barsOf },
  dedupe: { call: (s) => api.dedupe(s), bars: barsOf },
  sortByTime: { call: (s) => api.sortByTime(s), bars: (r) => r as OhlcvSeries },
  handleOutliers: { call: (s) => api.handleOutliers(s), bars: barsOf },
  preprocess: { call: (s) => api.preprocess(s, { timeframe: '1m' }), bars: barsOf },
  aggregateOhlcv: { call: (s) => api.aggregateOhlcv(s as OhlcvColumns, '5m'), bars: barsOf },
  aggregateOhlcvMany: { call: (s) => api.aggregateOhlcv(s as OhlcvColumns, ['5m', '1H'], { source: '1m', partialEnd: 'keep' }) },
  // Bars too far apart for the full grid: the documented ConfigError naming `maxGridBars` (item 12).
  alignSources: { call: (s) => gridBound(() => api.alignSources({ a: s, b: s }, '1m')) },
  mergeSources: { call: (s) => api.mergeSources(s as OhlcvColumns, s), bars: barsOf },
  joinHigherTimeframe: { call: (s) => api.joinHigherTimeframe(s as OhlcvColumns, '1m', s, '5m') },
  returns: { call: (s) => api.returns(s) },
  logReturns: { call: (s) => api.logReturns(s) },
  trueRange: { call: (s) => api.trueRange(s) },
  atr: { call: (s) => api.atr(s, { period: 3 }) },
  dailyStats: { call: (s) => api.dailyStats(s, T0) },
  weeklyHighLow: { call: (s) => api.weeklyHighLow(s, T0 + 8 * 86_400_000) },
  trendDirection: { call: (s) => api.trendDirection(s, { period: 3 }) },
  floorPivots: { call: (s) => (Array.isArray(s) ? api.floorPivots(s[0] as Ohlcv) : null) },
  buildMarketContext: { call: (s) => api.buildMarketContext({ symbol: 'X', now: NOW, daily: s, fourHour: s }) },
  applyRetention: { call: (s) => api.applyRetention(s, '1m', NOW), bars: barsOf },
};

/** The parsers, which take anything. */
const PARSERS: Record<string, (input: unknown) => { rows: readonly unknown[] } | { columns: OhlcvColumns }> = {
  parseOhlcv: (x) => api.parseOhlcv(x),
  parseOhlcvCoerced: (x) => api.parseOhlcv(x, { coerce: true }),
  parseOhlcvColumns: (x) => api.parseOhlcvColumns(x),
  parseTicks: (x) => api.parseTicks(x),
  parseOrderBook: (x) => api.parseOrderBook(x),
  fromCcxtOhlcv: (x) => api.fromCcxtOhlcv(x as unknown[]),
  fromBinanceKlines: (x) => api.fromBinanceKlines(x as unknown[]),
  fromCcxtTrades: (x) => api.fromCcxtTrades(x as unknown[]),
};

/** Functions on trades, books and number arrays. */
const OTHER_CALLS: Record<string, (input: { ticks: unknown[]; book: unknown; values: unknown[] }) => unknown> = {
  ticksToOhlcv: ({ ticks }) => api.ticksToOhlcv(ticks as api.Tick[], '1m', { partialEnd: 'keep' }),
  validateTicks: ({ ticks }) => api.validateTicks(ticks as api.Tick[]),
  validateOrderBook: ({ book }) => api.validateOrderBook(book as api.OrderBook),
  normalize: ({ values }) => api.normalize(values as number[]),
  volatilityRegime: ({ values }) => api.volatilityRegime(values as number[], 1),
};

/**
 * Public functions of `src/index.ts` that take no series, trades or books (scalars, options,
 * state machines, documents, streaming classes fed one value at a time), with why each is
 * outside this suite. A new export must land in a table above or here.
 */
const NOT_BATCH: Record<string, string> = {
  isMarketDataError: 'error guard',
  isConfigError: 'error guard',
  isSourceError: 'error guard',
  isSinkError: 'error guard',
  MarketDataError: 'error class',
  ConfigError: 'error class',
  SourceError: 'error class',
  SinkError: 'error class',
  isPipelineStoppedError: 'error guard',
  PipelineStoppedError: 'error class',
  parseTimeframe: 'scalar',
  timeframeMs: 'scalar',
  bucketStart: 'scalar',
  bucketEnd: 'scalar',
  isAligned: 'scalar',
  expectedBarCount: 'scalar',
  toEpochMs: 'scalar',
  isFixedTimeframe: 'scalar',
  barFlagCode: 'scalar',
  resolveConfig: 'options',
  resolveFeedPolicy: 'options',
  classifyGap: 'scalar',
  isCriticalGap: 'scalar',
  checkFreshness: 'takes the newest timestamp, not a series',
  evaluateEscalation: 'state machine',
  QualityTracker: 'streaming class',
  OutlierHandler: 'streaming class',
  OhlcvAggregator: 'streaming class',
  TickAggregator: 'streaming class',
  AtrCalculator: 'streaming class',
  currentSession: 'scalar',
  initialFeedState: 'state machine',
  nextFeedState: 'state machine',
  nextFeedDeadline: 'state machine',
  feedHealth: 'state machine',
  createRateLimiter: 'state machine',
  tryAcquire: 'state machine',
  applyServerFeedback: 'state machine',
  retryDelay: 'scalar',
  sourcesToPoll: 'state machine',
  missedBars: 'scalar',
  requestDeadline: 'state machine',
  staleSince: 'scalar',
  resumeRateLimiter: 'state machine',
  retentionCutoff: 'scalar',
  buildDataStatus: 'document builder',
  buildLatestOhlcv: 'document builder',
  buildQualityReport: 'document builder',
  buildOrderBookSummary: 'document builder',
  createAlert: 'document builder',
  buildDataResponse: 'document builder',
  feedActionAlert: 'document builder',
  systemClock: 'pipeline',
  MemoryStore: 'pipeline',
  Pipeline: 'pipeline',
};

// ---------------------------------------------------------------------------------------------
// Checks.

/** The documented throw: a `ConfigError`, and only for bad options (these calls pass good ones). */
function call(name: string, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    throw new Error(`${name} threw on data: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

/** Whether a row holds only numbers in its number fields (what every output row must). */
function isNumberRow(row: unknown): boolean {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Record<string, unknown>;
  return ['timestamp', 'open', 'high', 'low', 'close', 'volume'].every((key) => typeof r[key] === 'number');
}

function expectNumberBars(name: string, bars: OhlcvSeries | readonly (Ohlcv | undefined)[]): void {
  if (Array.isArray(bars)) {
    bars.forEach((row, i) => {
      if (row !== undefined) expect(isNumberRow(row), `${name}: output row ${i} holds a non-number`).toBe(true);
    });
    return;
  }
  const columns = bars as OhlcvColumns;
  expect(Number.isSafeInteger(columns.length) && columns.length >= 0, `${name}: output length`).toBe(true);
  for (const key of ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const) {
    expect(columns[key] instanceof Float64Array && columns[key].length >= columns.length, `${name}: output ${key}`).toBe(true);
  }
}

/**
 * `validateOhlcv` said valid: then every bar's six fields must pass the schema and the market rules
 * (its rules judge those six; optional fields such as `count` are the parsers' to check).
 */
function expectTrulyValid(series: OhlcvSeries): void {
  const rows = Array.isArray(series) ? (series as readonly unknown[]) : api.toRows(series as OhlcvColumns);
  if (!Array.isArray(series)) expect(Number.isSafeInteger((series as OhlcvColumns).length)).toBe(true);
  let previous = Number.NEGATIVE_INFINITY;
  rows.forEach((row, i) => {
    const bar = row as Ohlcv;
    const six = { timestamp: bar.timestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
    expect(api.OhlcvSchema.safeParse(six).success, `valid, yet row ${i} fails OhlcvSchema`).toBe(true);
    expect(bar.high >= Math.max(bar.open, bar.close, bar.low) && bar.low <= Math.min(bar.open, bar.close) && bar.volume >= 0).toBe(true);
    expect(bar.timestamp > previous).toBe(true);
    previous = bar.timestamp;
  });
}

const prototypeKeys = (): string[] => Reflect.ownKeys(Object.prototype).map(String).sort();
let keysBefore: string[] = [];

describe('hostile input through every public batch function', () => {
  beforeAll(() => {
    keysBefore = prototypeKeys();
  });
  afterAll(() => {
    // `Object.prototype` untouched by the whole suite, not only by each property.
    expect(prototypeKeys()).toEqual(keysBefore);
  });

  it('covers every function exported from src/index.ts (a new export lands in a table or in NOT_BATCH)', () => {
    const covered = new Set([
      ...Object.keys(SERIES_CALLS),
      ...Object.keys(PARSERS),
      ...Object.keys(OTHER_CALLS),
      ...Object.keys(NOT_BATCH),
    ]);
    const functions = Object.keys(api).filter((key) => typeof (api as Record<string, unknown>)[key] === 'function');
    const missing = functions.filter((key) => !covered.has(key));
    expect(missing).toEqual([]);
  });

  it('never throws on hostile rows or columns, never hands back a non-number, never pollutes a prototype', () => {
    fc.assert(
      fc.property(hostileSeries, (series) => {
        for (const [name, { call: fn, bars }] of Object.entries(SERIES_CALLS)) {
          const result = call(name, () => fn(series));
          if (bars !== undefined) expectNumberBars(name, bars(result));
        }
        const validation = api.validateOhlcv(series);
        if (validation.valid) expectTrulyValid(series);
        const score = api.scoreQuality(series, { timeframe: '1m', now: T0 + 61 * MINUTE }).score;
        expect(score >= 0 && score <= 1, `score ${score}`).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(prototypeKeys()).toEqual(keysBefore);
      }),
      settings(),
    );
  }, 60_000);

  it('accepts no invalid row: every parser row passes its schema, and exotic rows are refused, never thrown', () => {
    const anything = fc.oneof(
      hostileRows,
      fc.array(fc.oneof(hostileRow, exoticRow, fc.array(hostileValue, { maxLength: 12 })), { maxLength: 12 }),
      fc.array(hostileTick, { maxLength: 8 }),
      fc.array(hostileBook, { maxLength: 4 }),
      hostileValue,
    );
    fc.assert(
      fc.property(anything, (generated) => {
        const input = materialize(generated);
        for (const [name, parse] of Object.entries(PARSERS)) {
          const result = call(name, () => parse(input)) as ReturnType<typeof parse>;
          const schema =
            name.startsWith('parseTicks') || name === 'fromCcxtTrades'
              ? api.TickSchema
              : name === 'parseOrderBook'
                ? api.OrderBookSchema
                : api.OhlcvSchema;
          const rows = 'columns' in result ? api.toRows(result.columns) : result.rows;
          rows.forEach((row, i) => {
            if (!schema.safeParse(row).success) throw new Error(`${name} accepted row ${i}, which fails its schema`);
          });
        }
        expect(prototypeKeys()).toEqual(keysBefore);
      }),
      settings(),
    );
  }, 60_000);

  it('never throws on hostile trades, books and number arrays', () => {
    const inputs = fc.record({
      ticks: fc.oneof(fc.array(hostileTick, { maxLength: 12 }), fc.sparseArray(hostileTick, { maxLength: 12 })),
      book: hostileBook,
      values: fc.array(hostileValue, { maxLength: 12 }),
    });
    fc.assert(
      fc.property(inputs, (input) => {
        for (const [name, fn] of Object.entries(OTHER_CALLS)) call(name, () => fn(input));
        const { bars } = api.ticksToOhlcv(input.ticks as api.Tick[], '1m', { partialEnd: 'keep' });
        expectNumberBars('ticksToOhlcv', bars);
        expect(prototypeKeys()).toEqual(keysBefore);
      }),
      settings(),
    );
  }, 60_000);

  it('throws nothing but a ConfigError for bad options', () => {
    const badOption = fc.oneof(hostileValue, fc.constantFrom<unknown>('7m', '1h', 'full', 'keep', -1, 0, 1.5, { period: 0 }));
    const withOptions: Record<string, (series: OhlcvSeries, bad: unknown) => unknown> = {
      aggregateOhlcv: (s, bad) => api.aggregateOhlcv(s as OhlcvColumns, bad as '5m'),
      aggregateOhlcvPartial: (s, bad) => api.aggregateOhlcv(s as OhlcvColumns, '5m', { partialEnd: bad as 'keep' }),
      alignSources: (s, bad) => api.alignSources({ a: s }, '1m', { maxGridBars: bad as number }),
      alignSourcesGrid: (s, bad) => api.alignSources({ a: s }, '1m', { grid: bad as 'full' }),
      validateOhlcv: (s, bad) => api.validateOhlcv(s, { timeframe: bad as '1m' }),
      fillGaps: (s, bad) => api.fillGaps(s, bad as '1m'),
      dedupe: (s, bad) => api.dedupe(s, { keep: bad as 'first' }),
      handleOutliers: (s, bad) => api.handleOutliers(s, { threshold: bad as number }),
      atr: (s, bad) => api.atr(s, { period: bad as number }),
      returns: (s, bad) => api.returns(s, { breaks: bad as number[] }),
      dailyStats: (s, bad) => api.dailyStats(s, bad as number),
      trendDirection: (s, bad) => api.trendDirection(s, { period: bad as number }),
      applyRetention: (s, bad) => api.applyRetention(s, '1m', bad as number),
      scoreQuality: (s, bad) => api.scoreQuality(s, { timeframe: '1m', now: bad as number }),
    };
    fc.assert(
      fc.property(hostileSeries, badOption, (series, bad) => {
        for (const [name, fn] of Object.entries(withOptions)) {
          try {
            fn(series, bad);
          } catch (error) {
            expect(api.isConfigError(error), `${name} threw ${String(error)} for option ${String(bad)}`).toBe(true);
          }
        }
      }),
      settings(150),
    );
  }, 60_000);
});
