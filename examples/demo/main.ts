/**
 * `npm run demo`: the library's main job on its embedded defaults, with no setup.
 *
 * A simulated market (`SimulatedSource`, seeded) serves one UTC day of 1m bars for BTCUSD and
 * ETHUSD. The pipeline starts at 18:00, backfills the day so far (a progress counter), then
 * runs one cycle per minute until midnight on a `ManualClock`, so the evening takes a second
 * or two instead of six hours. At 19:00 the primary source goes down for 20 minutes: the
 * pipeline detects it, retries, fails over to the backup source (which has holes of its own,
 * so gaps get filled), switches back when the primary has recovered, and the primary's real
 * bars replace the filled ones. The backup is the specification's websocket `data_provider`:
 * a local server in Binance's stream format, fed by the simulated provider as each bar closes,
 * read by `BinanceWsSource`; the demo prints when the pipeline switches to it and back. The
 * state files go under `./state`; a summary is printed.
 */
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MemoryStore,
  Pipeline,
  timeframeMs,
  type FeedAction,
  type FeedStateKind,
  type FixedTimeframe,
  type Ohlcv,
  type Sink,
  type Timeframe,
} from 'market-data-pipeline';
import { generateOhlcv, ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { FsStateSink } from '../fs-state-sink/fs-state-sink.js';
import { ReportRecorder } from '../html-report/report-recorder.js';
import { writeReport } from '../html-report/write-report.js';
import { demoMarketDepth, type DepthSummary } from './simulated-market-depth.js';
import { startWebsocketBackup } from './websocket-backup.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** The day the demo covers, 2025-01-30 00:00 UTC (epoch ms). */
export const DAY_START = Date.UTC(2025, 0, 30);
/** The end of that day (exclusive), epoch ms. */
export const DAY_END = DAY_START + 24 * HOUR;
/** When the pipeline starts (epoch ms): it backfills 00:00–18:00 first, then runs live. */
export const LIVE_FROM = DAY_START + 18 * HOUR;
/** The primary source's outage: from 19:00 for 20 minutes (epoch ms). */
export const OUTAGE = { from: DAY_START + 19 * HOUR, durationMs: 20 * MINUTE } as const;
/** Open times of the 1m bars the backup source does not have: 19:06–19:07 and 19:12–19:16. */
export const BACKUP_HOLES: readonly number[] = [6, 7, 12, 13, 14, 15, 16].map((m) => OUTAGE.from + m * MINUTE);
/** Bars per request the simulated exchange serves (as Coinbase's candles endpoint). */
export const PAGE_SIZE = 300;
/** The timeframes the pipeline keeps (its defaults). */
export const TIMEFRAMES: readonly FixedTimeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D'];

/**
 * The simulated symbols with their generator settings: one day of 1m bars each, with a few
 * short gaps of the exchange's own (minutes without trades), which the pipeline fills.
 */
export const DEMO_SYMBOLS = [
  { symbol: 'BTCUSD', seed: 2025, startPrice: 45_000, volatility: 0.0008, baseVolume: 12 },
  { symbol: 'ETHUSD', seed: 7, startPrice: 3_200, volatility: 0.0011, baseVolume: 150 },
] as const;

/** Gap settings of the generator: about 1 bar in 500 starts a gap of 1–4 bars. */
export const MARKET_GAPS = { gapRate: 0.002, maxGapBars: 4 } as const;

/** What the demo reports for one series. */
export interface SeriesSummary {
  /** The symbol. */
  readonly symbol: string;
  /** The timeframe. */
  readonly timeframe: Timeframe;
  /** Bars the pipeline kept for the day (real and filled). */
  readonly bars: number;
  /** Bars a complete day has. */
  readonly expected: number;
  /** Kept bars that are synthetic (interpolated or forward-filled). */
  readonly filled: number;
  /** Bars of the day the pipeline has nothing for. */
  readonly missing: number;
  /** Bars delivered again with a higher revision (filled bars replaced by real ones, aggregates recomputed). */
  readonly revised: number;
  /** The series' quality score in the last `data_status` document (0–1), `null` when not scored. */
  readonly quality: number | null;
  /** The lowest quality score any `data_status` document of the day showed. */
  readonly lowestQuality: number | null;
  /** Close of the last bar of the day. */
  readonly lastClose: number | null;
}

/** One step of the failover timeline, for one or more symbols that moved together. */
export interface FailoverStep {
  /** When it happened, epoch ms. */
  readonly at: number;
  /** The symbols whose feed made this move. */
  readonly symbols: readonly string[];
  /** State before. */
  readonly from: FeedStateKind;
  /** State after. */
  readonly to: FeedStateKind;
  /** The actions the state machine asked for. */
  readonly actions: readonly FeedAction[];
}

/** A gap the pipeline found in the 1m bars, with what it did. */
export interface GapSummary {
  /** The symbol. */
  readonly symbol: string;
  /** Open time of the first missing bar, epoch ms. */
  readonly start: number;
  /** Missing bars. */
  readonly bars: number;
  /** What was done: `interpolated`, `forward_filled` or `marked_missing`. */
  readonly resolution: string;
}

/** Everything the demo printed, as data. */
export interface DemoSummary {
  /** Per symbol and timeframe. */
  readonly series: readonly SeriesSummary[];
  /** Gaps found in the base timeframe, in the order found. */
  readonly gaps: readonly GapSummary[];
  /** The failover timeline. */
  readonly failovers: readonly FailoverStep[];
  /** Alerts raised, by type. */
  readonly alerts: Readonly<Record<string, number>>;
  /** The last `progress` event of the startup backfill per symbol: bars received of bars due. */
  readonly backfill: Readonly<Record<string, { readonly done: number; readonly total: number }>>;
  /** The state files written, absolute paths. */
  readonly files: readonly string[];
  /** The HTML report of the run (`state/report.html`), absolute path. */
  readonly report: string;
  /** The trades-and-books part: what arrived of {@link DEPTH_SYMBOL}'s trades and order books. */
  readonly depth: DepthSummary;
}

/** The symbol whose trades and order books the demo's last part turns on. */
export const DEPTH_SYMBOL = 'BTCUSD';
/** That part runs the day's last 30 minutes. */
const DEPTH_MINUTES = 30;

/** Where the demo prints: `process.stdout` or anything with `write` (and optionally `isTTY`). */
export interface DemoOutput {
  /** Writes text as is. */
  write(text: string): unknown;
  /** Whether it is a terminal: the progress counter then updates one line with `\r`. */
  readonly isTTY?: boolean;
}

/** Options of {@link main}. */
export interface DemoOptions {
  /**
   * Directory the `state/` tree is written under.
   * @defaultValue the current directory
   */
  readonly root?: string;
  /**
   * Where the summary and the progress counter go.
   * @defaultValue `process.stdout`
   */
  readonly out?: DemoOutput;
}

/**
 * The simulated market: per symbol, the day of 1m bars the primary exchange has, and what the
 * generator says about it (where its own gaps are).
 *
 * @returns Bars and truth per symbol, rebuilt identically on every call (seeded).
 */
export function demoMarket(): Record<string, ReturnType<typeof generateOhlcv>> {
  return Object.fromEntries(
    DEMO_SYMBOLS.map(({ symbol, ...settings }) => [
      symbol,
      generateOhlcv({ ...settings, ...MARKET_GAPS, start: DAY_START, count: 1440, timeframe: '1m' }),
    ]),
  );
}

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);
const hhmmss = (t: number): string => new Date(t).toISOString().slice(11, 19);
const score = (q: number | null): string => (q === null ? '   —' : q.toFixed(2));
const pad = (value: string | number, width: number): string => String(value).padStart(width);

function describeAction(action: FeedAction): string {
  switch (action.kind) {
    case 'retry':
      return 'retry the primary';
    case 'failover':
      return 'fail over to the backup';
    case 'switch_back':
      return 'switch back to the primary';
    case 'backfill':
      return `backfill ${action.bars} bars ${hhmm(action.from)}–${hhmm(action.to)} from the primary`;
    case 'gap':
      return `report ${action.bars} bars ${hhmm(action.from)}–${hhmm(action.to)} as a gap`;
    case 'escalate':
      return action.reason === 'feed_offline'
        ? 'escalate: feed offline'
        : `escalate: ${action.source} unavailable since ${hhmm(action.since)}`;
    case 'use_cached':
      return 'serve cached data';
    case 'halt':
      return 'halt trading';
    case 'resume':
      return 'resume trading';
    case 'backoff':
      return `back off until ${hhmm(action.until)}`;
    case 'alert':
      return `latency alert (${Math.round(action.latencyMs)} ms)`;
    case 'stale':
      return `stale: no new bar from the ${action.source} by ${hhmmss(action.since)}`;
  }
}

/**
 * Runs the demo: builds the simulated market and the pipeline, drives the clock through the
 * day, writes the state files and prints the summary.
 *
 * @param options - where to write and print; see {@link DemoOptions}.
 * @returns The summary it printed, as data.
 */
export async function main(options: DemoOptions = {}): Promise<DemoSummary> {
  const out: DemoOutput = options.out ?? process.stdout;
  const root = resolve(options.root ?? '.');
  const print = (line = ''): void => {
    out.write(`${line}\n`);
  };

  // The market: the primary has every bar the generator made; the backup (another provider)
  // has the same bars but misses a few minutes.
  const market = demoMarket();
  const bars: Record<string, readonly Ohlcv[]> = {};
  const backupBars: Record<string, readonly Ohlcv[]> = {};
  const holes = new Set(BACKUP_HOLES);
  for (const [symbol, generated] of Object.entries(market)) {
    bars[symbol] = generated.bars;
    backupBars[symbol] = generated.bars.filter((bar) => !holes.has(bar.timestamp));
  }
  const symbols = DEMO_SYMBOLS.map((s) => s.symbol);

  const clock = new ManualClock(LIVE_FROM + 1000);
  const primary = new SimulatedSource({
    clock,
    name: 'exchange_api',
    bars,
    maxLimit: PAGE_SIZE,
    faults: [{ kind: 'outage', from: OUTAGE.from, durationMs: OUTAGE.durationMs }],
  });
  // The backup is the specification's websocket `data_provider`: a local stream server in
  // Binance's format, fed minute by minute by the simulated provider (with its holes).
  const provider = new SimulatedSource({ clock, name: 'data_provider', bars: backupBars });
  const websocket = await startWebsocketBackup(provider, symbols, provider.name, () => clock.now());
  // Whatever throws from here on, the stream server and its source are closed (and the pipeline stopped).
  try {
    const backup = websocket.source;
    const store = new MemoryStore();
    // The state files. The pipeline builds its documents every cycle (every simulated minute);
    // writing ten files a minute would make the disk, not the pipeline, the slow part of this
    // demo, so the sink takes documents every 15 simulated minutes and at the end (alerts
    // always). A demo needs no fsync either; files are still replaced atomically.
    const fsSink = new FsStateSink({ root, fsync: false });
    const files: Sink = {
      name: fsSink.name,
      accepts: (record) =>
        fsSink.accepts(record) && (record.kind !== 'document' || clock.now() % (15 * MINUTE) < MINUTE || clock.now() >= DAY_END),
      write: (record, writeOptions) => fsSink.write(record, writeOptions),
    };
    // Alerts are appended to a JSON-lines file: start it afresh (the documents are replaced anyway).
    await rm(join(root, 'state', 'data', 'alerts.jsonl'), { force: true });

    const pipeline = new Pipeline({
      primary,
      backup,
      store,
      sinks: [files],
      clock,
      start: DAY_START,
      // Simulated minutes pass in microseconds here while a file write takes real milliseconds:
      // a write deadline on the simulated clock would abort writes that are merely slow.
      sinkTimeoutMs: DAY_END - DAY_START,
      config: { symbols, timeframes: [...TIMEFRAMES] },
    });

    const recorder = new ReportRecorder(pipeline);
    const failovers: FailoverStep[] = [];
    const gaps: GapSummary[] = [];
    const alerts: Record<string, number> = {};
    const backfill: Record<string, { done: number; total: number }> = {};
    const quality = new Map<string, { now: number | null; lowest: number | null }>();
    pipeline.on('failover', ({ symbol, from, to, actions, at }) => {
      const last = failovers.at(-1);
      if (
        last !== undefined &&
        last.at === at &&
        last.from === from &&
        last.to === to &&
        JSON.stringify(last.actions) === JSON.stringify(actions)
      ) {
        // Symbols in their configured order, whichever of them moved first (they run side by side).
        const order: readonly string[] = symbols;
        const together = [...last.symbols, symbol].sort((a, b) => order.indexOf(a) - order.indexOf(b));
        failovers[failovers.length - 1] = { ...last, symbols: together };
      } else {
        failovers.push({ at, symbols: [symbol], from, to, actions });
      }
    });
    pipeline.on('failover', ({ symbol, actions, at }) => {
      if (actions.some((a) => a.kind === 'failover')) print(`  ${hhmmss(at)}  ${symbol} switched to the websocket backup ${backup.name}`);
      if (actions.some((a) => a.kind === 'switch_back'))
        print(`  ${hhmmss(at)}  ${symbol} switched back from the websocket to ${primary.name}`);
    });
    pipeline.on('gap', ({ symbol, report }) => {
      gaps.push({ symbol, start: report.gap.start, bars: report.missingBars, resolution: report.resolution });
    });
    pipeline.on('alert', (alert) => {
      alerts[alert.type] = (alerts[alert.type] ?? 0) + 1;
    });
    pipeline.on('document', (record) => {
      if (record.name !== 'data_status') return;
      for (const [symbol, { timeframes }] of Object.entries(record.body.symbols)) {
        for (const [tf, status] of Object.entries(timeframes)) {
          const key = `${symbol} ${tf}`;
          const q = status.quality_score;
          const seen = quality.get(key);
          const lowest = seen?.lowest ?? null;
          quality.set(key, { now: q, lowest: q === null ? lowest : lowest === null ? q : Math.min(lowest, q) });
        }
      }
    });
    pipeline.on('progress', ({ symbol, done, total }) => {
      backfill[symbol] = { done, total };
      const line = symbols.map((s) => `${s} ${pad(backfill[s]?.done ?? 0, 4)}/${backfill[s]?.total ?? '?'}`).join('  ');
      if (out.isTTY === true) out.write(`\r  backfilling 1m bars: ${line}`);
      else print(`  backfilling 1m bars: ${symbol} ${done}/${total}`);
    });

    print(
      `market-data-pipeline demo: simulated ${symbols.join(' and ')}, ${new Date(DAY_START).toISOString().slice(0, 10)} (UTC), 1m bars`,
    );
    print(
      `  primary ${primary.name} (down ${hhmm(OUTAGE.from)}–${hhmm(OUTAGE.from + OUTAGE.durationMs)}), backup ${backup.name} (missing ${BACKUP_HOLES.length} bars)`,
    );
    print(`  backup ${backup.name}: websocket ${websocket.url}, Binance's kline stream fed by the simulated provider as each bar closes`);
    print(`  ${hhmm(LIVE_FROM)} start: backfill from 00:00, ${PAGE_SIZE} bars per request`);
    try {
      // The first cycle backfills the day so far; then one cycle a minute (1 s after each bar closes).
      await pipeline.runOnce();
      if (out.isTTY === true) out.write('\n');
      print(`  ${hhmm(LIVE_FROM)}–24:00 live: start() on a ManualClock (a cycle 1 s after each bar closes, and at each failover deadline)`);
      pipeline.start();
      for (let t = LIVE_FROM + MINUTE; t <= DAY_END; t += MINUTE) {
        // Let the file writes of this minute finish before simulated time moves a minute ahead:
        // on a real clock they take milliseconds of a minute, here they must not time out. The
        // clock fires the pipeline's own timers on the way (its cycles and the ladder's deadlines).
        await pipeline.flush();
        // The bar closing at t goes out on the websocket at its close time (Binance's k.T, t − 1 ms),
        // so that a cycle at t finds it there, as it would at the exchange.
        await clock.advanceTo(t - 1);
        await websocket.publish(t);
        await clock.advanceTo(t + 1000);
      }
      await pipeline.flush();
    } finally {
      await pipeline.stop();
    }

    const series: SeriesSummary[] = [];
    for (const symbol of symbols) {
      for (const timeframe of TIMEFRAMES) {
        const kept = store.range(symbol, timeframe, DAY_START, DAY_END);
        const expected = (DAY_END - DAY_START) / timeframeMs(timeframe);
        const q = quality.get(`${symbol} ${timeframe}`);
        series.push({
          symbol,
          timeframe,
          bars: kept.length,
          expected,
          filled: kept.filter((bar) => bar.flag === 'interpolated' || bar.flag === 'forward_filled').length,
          missing: expected - kept.length,
          revised: kept.filter((bar) => bar.revision > 0).length,
          quality: q?.now ?? null,
          lowestQuality: q?.lowest ?? null,
          lastClose: kept.at(-1)?.close ?? null,
        });
      }
    }
    const written = [
      join(root, 'state', 'data', 'data_status.json'),
      join(root, 'state', 'data', 'latest_ohlcv.json'),
      join(root, 'state', 'data', 'quality_report.json'),
      join(root, 'state', 'market_context.json'),
      join(root, 'state', 'data', 'alerts.jsonl'),
    ];
    const report = join(root, 'state', 'report.html');
    await writeReport(
      report,
      recorder.input(`market-data-pipeline demo: ${symbols.join(' and ')}, ${new Date(DAY_START).toISOString().slice(0, 10)} (UTC)`),
    );
    // Trades and books for one symbol, in a pipeline of their own (the failover timeline above stays the bars').
    const depth = await demoMarketDepth(bars[DEPTH_SYMBOL] ?? [], DEPTH_SYMBOL, DAY_END - DEPTH_MINUTES * MINUTE, DEPTH_MINUTES);
    const summary: DemoSummary = { series, gaps, failovers, alerts, backfill, files: written, report, depth };
    printSummary(summary, print);
    return summary;
  } finally {
    await websocket.close();
  }
}

function printSummary(summary: DemoSummary, print: (line?: string) => void): void {
  print();
  print('symbol  tf        bars  filled  missing  revised  quality  lowest  last close');
  for (const s of summary.series) {
    print(
      `${s.symbol.padEnd(6)}  ${s.timeframe.padEnd(3)}  ${pad(`${s.bars}/${s.expected}`, 9)}  ${pad(s.filled, 6)}  ${pad(s.missing, 7)}  ` +
        `${pad(s.revised, 7)}  ${pad(score(s.quality), 7)}  ${pad(score(s.lowestQuality), 6)}  ${pad(s.lastClose === null ? '—' : s.lastClose.toFixed(2), 10)}`,
    );
  }
  print();
  print('gaps found in the 1m bars');
  const gaps = [...summary.gaps].sort((a, b) => a.start - b.start || a.symbol.localeCompare(b.symbol));
  for (const g of gaps) print(`  ${g.symbol}  ${hhmm(g.start)}  ${g.bars} bar${g.bars === 1 ? ' ' : 's'}  ${g.resolution}`);
  print();
  print('failover timeline');
  for (const f of summary.failovers) {
    const what = f.actions.length === 0 ? '' : `: ${f.actions.map(describeAction).join('; ')}`;
    print(`  ${hhmmss(f.at)}  ${f.symbols.join(', ')}  ${f.from} → ${f.to}${what}`);
  }
  print();
  const byType = Object.entries(summary.alerts).sort(([a], [b]) => a.localeCompare(b));
  const total = byType.reduce((n, [, count]) => n + count, 0);
  print(`alerts: ${total} (${byType.map(([type, count]) => `${type} ${count}`).join(', ')})`);
  print();
  const d = summary.depth;
  print(`${d.symbol} trades and order book, the last ${d.minutes} minutes (trades polled, books 20 levels a side)`);
  print(
    `  ${d.trades} trades in ${d.batches} ticks records; ${d.tradeBars} 1m bars built from them, ${d.disagreements} disagreeing with the klines`,
  );
  const mid = d.mid === null ? '—' : d.mid.toFixed(2);
  print(`  ${d.books} order-book snapshots; last mid ${mid}, spread ${d.spreadBps === null ? '—' : d.spreadBps.toFixed(2)} bp`);
  print();
  print('state files');
  for (const file of summary.files) print(`  ${relative(process.cwd(), file) || file}`);
  print();
  print(`report: ${relative(process.cwd(), summary.report) || summary.report}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
