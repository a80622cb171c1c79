/**
 * A simulated BTCUSD/ETHUSD market through a Pipeline whose history lives in SQLite. Each run
 * simulates the hour after the newest stored bar, so running it again resumes where the last
 * run stopped (no checkpoint needed for the bars: the database is the history).
 *
 *     npm run build && npx tsx examples/sqlite-store/main.ts [file]   # file defaults to ./data/market-data.db
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Pipeline, type Timeframe } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { SqliteStore } from './sqlite-store.js';

const T0 = Date.UTC(2025, 0, 30);
const HOUR = 3_600_000;
const symbols = ['BTCUSD', 'ETHUSD'];
const timeframes: Timeframe[] = ['1m', '5m', '15m', '1H'];
const file = process.argv[2] ?? join('data', 'market-data.db');

mkdirSync(dirname(file), { recursive: true });
const store = new SqliteStore(file);
const newest = store.last('BTCUSD', '1m')?.timestamp ?? T0 - 60_000;
// The market is seeded, so every run sees the same history; the clock moves one hour on.
const clock = new ManualClock(newest + 60_000 + HOUR + 1_000);
const primary = new SimulatedSource({ clock, name: 'exchange_api', symbols, generate: { start: T0, count: 30 * 24 * 60 } });
const pipeline = new Pipeline({ primary, clock, store, start: T0, config: { symbols, timeframes } });

await pipeline.runOnce();
await pipeline.stop();
console.log(`${file} at ${new Date(clock.now()).toISOString()}`);
for (const symbol of symbols) {
  console.log(
    `  ${symbol}  ${timeframes.map((tf) => `${tf}: ${store.size(symbol, tf)}`).join('  ')}  newest 1m: ${new Date(store.last(symbol, '1m')?.timestamp ?? 0).toISOString()}`,
  );
}
store.close();
