/**
 * `aggregate/` on 1M 1m bars of three shapes (issue 20: the shared generated bars, real BTC-perp
 * bars tiled from `../shared`, an i.i.d. random walk; see `bench/data-shapes.ts`) against
 * nodejs-polars `groupByDynamic` (0.25.2, data already in a DataFrame, Datetime[ms] index,
 * closed/label left), and on the generated bars pandas `resample` when `python3 -c "import
 * pandas"` works (a persistent python process; one request per call). Each single target is
 * also timed beside the practical limit, one pass reading the five columns (the reference of
 * its ratios), and every case's first call in a fresh process is reported.
 *
 * Every side is asked for the same output columns: the bucket start, open, high, low, close,
 * volume and the number of source bars (`count`, on by default in `aggregateOhlcv`; `pl.len()`
 * in polars, `size` in pandas).
 *
 * Targets (issues 5 and 20): on every shape, 1m → 5m, 15m, 1H, 4H and 1D together faster than
 * polars' single 1m → 5m, and each single target at least 1.5× faster than polars for the same
 * target; on the real-shaped and random-walk bars, 1H, 4H and 1D within 2× of the one pass;
 * rows in → rows out faster than polars including its conversion from and to JS objects (given
 * polars' fastest path we found: columns pulled out in JS into Float64Arrays, `toRecords()`
 * after a cast of the index back to numbers, about 3× faster than `pl.DataFrame(rows)`).
 */
import { existsSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { aggregateOhlcv, type Ohlcv, type OhlcvColumns, type Timeframe } from '../../src/index.js';
import type { BenchCase, BenchData, BenchGroup, Suite } from '../harness.js';
import { randomWalk, realShaped, type DataShape } from '../data-shapes.js';

const TARGETS = ['5m', '15m', '1H', '4H', '1D'] as const satisfies readonly Timeframe[];
/** Targets that must come within 2× of one pass over the five columns (issue 20), on the real-shaped and random-walk data. */
const LIMIT_TARGETS: readonly Timeframe[] = ['1H', '4H', '1D'];
const RANDOM_WALK_SEED = 42;
const POLARS_EVERY: Readonly<Record<(typeof TARGETS)[number], string>> = { '5m': '5m', '15m': '15m', '1H': '1h', '4H': '4h', '1D': '1d' };
const PANDAS_RULE: Readonly<Record<(typeof TARGETS)[number], string>> = {
  '5m': '5min',
  '15m': '15min',
  '1H': '1h',
  '4H': '4h',
  '1D': '1D',
};

function polarsFrame(columns: OhlcvColumns): pl.DataFrame {
  const n = columns.length;
  return pl.DataFrame({
    timestamp: pl.Series('timestamp', columns.timestamp.subarray(0, n)).cast(pl.Datetime('ms')),
    open: columns.open.subarray(0, n),
    high: columns.high.subarray(0, n),
    low: columns.low.subarray(0, n),
    close: columns.close.subarray(0, n),
    volume: columns.volume.subarray(0, n),
  });
}

function polarsResample(frame: pl.DataFrame, every: string): pl.DataFrame {
  return frame
    .groupByDynamic({ indexColumn: 'timestamp', every, closed: 'left', label: 'left' })
    .agg(
      pl.col('open').first(),
      pl.col('high').max(),
      pl.col('low').min(),
      pl.col('close').last(),
      pl.col('volume').sum(),
      pl.len().alias('count'),
    );
}

/** Rows → polars → rows, by the fastest route we found (see the file comment). */
function polarsRows(rows: readonly Ohlcv[]): Record<string, unknown>[] {
  const n = rows.length;
  const pick = (read: (bar: Ohlcv) => number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = read(rows[i] as Ohlcv);
    return out;
  };
  const frame = pl.DataFrame({
    timestamp: pl
      .Series(
        'timestamp',
        pick((b) => b.timestamp),
      )
      .cast(pl.Datetime('ms')),
    open: pick((b) => b.open),
    high: pick((b) => b.high),
    low: pick((b) => b.low),
    close: pick((b) => b.close),
    volume: pick((b) => b.volume),
  });
  return polarsResample(frame, '5m').withColumns(pl.col('timestamp').cast(pl.Float64)).toRecords();
}

/** Something that can hold or release the event loop (a child process, a socket). */
interface Refable {
  ref(): void;
  unref(): void;
}

/** Debian's python3 (where `apt-get install python3-pandas` puts pandas) unless PYTHON names another. */
const PYTHON = process.env['PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const PANDAS_SCRIPT = `
import sys
import numpy as np
import pandas as pd

path, n = sys.argv[1], int(sys.argv[2])
a = np.fromfile(path, dtype='<f8').reshape(6, n)
df = pd.DataFrame({'open': a[1], 'high': a[2], 'low': a[3], 'close': a[4], 'volume': a[5]},
                  index=pd.to_datetime(a[0].astype('int64'), unit='ms'))
spec = dict(open=('open', 'first'), high=('high', 'max'), low=('low', 'min'), close=('close', 'last'),
            volume=('volume', 'sum'), count=('close', 'size'))
sys.stdout.write('ready\\n')
sys.stdout.flush()
for line in sys.stdin:
    out = df.resample(line.strip(), closed='left', label='left').agg(**spec)
    sys.stdout.write(str(len(out)) + '\\n')
    sys.stdout.flush()
`;

function pandasAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore', timeout: 30_000 });
  return probe.status === 0;
}

/**
 * A python process holding the bars in a pandas DataFrame; `resample(rule)` asks it for one
 * resample and resolves with the number of output rows. Started on the first call (untimed:
 * the runner makes two untimed calls first); it holds the event loop only while a request is
 * pending, and exits when its stdin closes with this process.
 */
function pandasWorker(columns: OhlcvColumns): (rule: string) => Promise<number> {
  let child: ChildProcessWithoutNullStreams | undefined;
  let buffer = '';
  let waiting: ((line: string) => void) | undefined;
  const hold = (on: boolean): void => {
    if (child === undefined) return;
    // The stdio pipes are net.Socket instances at run time, which can be (un)referenced.
    const pipes = [child.stdout, child.stdin, child.stderr] as unknown as Refable[];
    for (const handle of [child, ...pipes]) {
      if (on) handle.ref();
      else handle.unref();
    }
  };
  const nextLine = (): Promise<string> =>
    new Promise((resolve) => {
      waiting = resolve;
    });
  const start = async (): Promise<void> => {
    const n = columns.length;
    const all = new Float64Array(6 * n);
    [columns.timestamp, columns.open, columns.high, columns.low, columns.close, columns.volume].forEach((col, k) =>
      all.set(col.subarray(0, n), k * n),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'mdp-bench-')), 'bars.f64');
    writeFileSync(path, new Uint8Array(all.buffer));
    const started = spawn(PYTHON, ['-u', '-c', PANDAS_SCRIPT, path, String(n)]);
    child = started;
    started.stdout.setEncoding('utf8');
    started.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let at = buffer.indexOf('\n');
      while (at >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        const resolve = waiting;
        waiting = undefined;
        resolve?.(line);
        at = buffer.indexOf('\n');
      }
    });
    started.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    if ((await nextLine()) !== 'ready') throw new Error('pandas worker did not start');
  };
  return async (rule: string): Promise<number> => {
    if (child === undefined) await start();
    hold(true);
    const reply = nextLine();
    child?.stdin.write(`${rule}\n`);
    const rows = Number(await reply);
    hold(false);
    return rows;
  };
}

/** Reads the five price and volume columns once and keeps one reduction of each: the practical floor of any aggregation. */
function onePass(columns: OhlcvColumns): Float64Array {
  const { open, high, low, close, volume } = columns;
  const n = columns.length;
  let o = 0;
  let h = Number.NEGATIVE_INFINITY;
  let l = Number.POSITIVE_INFINITY;
  let c = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    o += open[i] as number;
    h = Math.max(h, high[i] as number);
    l = Math.min(l, low[i] as number);
    c = close[i] as number;
    v += volume[i] as number;
  }
  return Float64Array.of(o, h, l, c, v);
}

/** The groups of one data shape: the five targets together, then each target alone. */
function shapeGroups(shape: DataShape, pandas: ((rule: string) => Promise<number>) | undefined, limits: boolean): BenchGroup[] {
  const { columns } = shape;
  const frame = polarsFrame(columns); // untimed: polars starts with the data in a DataFrame
  const pandasCase = (target: (typeof TARGETS)[number]): BenchCase[] =>
    pandas === undefined ? [] : [{ name: `pandas resample ${PANDAS_RULE[target]}`, role: 'peer', fn: () => pandas(PANDAS_RULE[target]) }];
  const bars = `${columns.length.toLocaleString('en-US')} bars`;
  const limit: BenchCase = { name: 'one pass over the five columns', role: 'limit', fn: () => onePass(columns) };

  const together: BenchGroup = {
    title: `aggregate 1m → 5m, 15m, 1H, 4H, 1D together, ${bars}, ${shape.name} (columns)`,
    shape: shape.name,
    cold: true,
    cases: [
      { name: 'aggregateOhlcv 5 targets', role: 'ours', fn: () => aggregateOhlcv(columns, TARGETS, { source: '1m' }) },
      { name: 'polars groupByDynamic 5m', role: 'peer', fn: () => polarsResample(frame, '5m') },
      ...pandasCase('5m'),
    ],
    targets: [{ ours: 'aggregateOhlcv 5 targets', than: 'polars groupByDynamic 5m', factor: 1 }],
  };

  const single = TARGETS.map((target): BenchGroup => {
    const ours = `aggregateOhlcv ${target}`;
    const polars = `polars groupByDynamic ${POLARS_EVERY[target]}`;
    return {
      title: `aggregate 1m → ${target}, ${bars}, ${shape.name} (columns)`,
      shape: shape.name,
      cold: true,
      cases: [
        { name: ours, role: 'ours', fn: () => aggregateOhlcv(columns, target, { source: '1m' }) },
        { name: polars, role: 'peer', fn: () => polarsResample(frame, POLARS_EVERY[target]) },
        ...pandasCase(target),
        limit,
      ],
      targets: [
        { ours, than: polars, factor: 1.5 },
        ...(limits && LIMIT_TARGETS.includes(target) ? [{ ours, than: limit.name, within: 2 }] : []),
      ],
    };
  });
  return [together, ...single];
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { columns, rows } = data;
  const n = columns.length;
  const pandas = pandasAvailable() ? pandasWorker(columns) : undefined;
  if (pandas === undefined && !data.cold)
    console.log('[aggregate] pandas not importable by python3: pandas cases skipped (apt-get install -y python3-pandas)');
  const real = realShaped(n);
  if (typeof real === 'string' && !data.cold) console.log(`[aggregate] real-shaped data skipped: ${real}`);
  const shapes: BenchGroup[] = [
    ...shapeGroups({ name: data.shape, columns }, pandas, false),
    ...(typeof real === 'string' ? [] : shapeGroups(real, undefined, true)),
    ...shapeGroups(randomWalk(n, RANDOM_WALK_SEED), undefined, true),
  ];

  const viaRows: BenchGroup = {
    title: `aggregate 1m → 5m, ${n.toLocaleString('en-US')} rows in, rows out`,
    cold: true,
    cases: [
      { name: 'aggregateOhlcv 5m (rows)', role: 'ours', fn: () => aggregateOhlcv(rows, '5m', { source: '1m' }) },
      { name: 'polars rows → DataFrame → 5m → rows', role: 'peer', fn: () => polarsRows(rows) },
    ],
    targets: [{ ours: 'aggregateOhlcv 5m (rows)', than: 'polars rows → DataFrame → 5m → rows', factor: 1 }],
  };

  return [...shapes, viaRows];
};

export default suite;
