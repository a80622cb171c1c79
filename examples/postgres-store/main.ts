/**
 * A simulated BTCUSD/ETHUSD market through a Pipeline whose history lives in PostgreSQL, driven
 * minute by minute on a hand-driven clock. Each run starts one minute after the newest stored
 * 1m bar (or 30 minutes into the market), so a run killed at any point and started again resumes
 * from the database alone; it prints one `cycle <time>` line per minute.
 *
 *     npm run build && npx tsx examples/postgres-store/main.ts <connection-url> [until-minute]
 *
 * `until-minute`: stop when the clock reaches that many minutes after the market's start
 * (default: one hour after where the run starts). Tables are created in the `market_data` schema.
 */
import { Pipeline } from 'market-data-pipeline';
import { ManualClock } from 'market-data-pipeline/testing';
import pg from 'pg';
import { PgSink } from './pg-sink.js';
import { PgStore } from './pg-store.js';
import { MARKET_START, MARKET_SYMBOLS, MARKET_TIMEFRAMES, simulatedMarket } from './simulated-market.js';

const MIN = 60_000;
const url = process.argv[2];
if (url === undefined) throw new Error('Usage: main.ts <connection-url> [until-minute]');

const pool = new pg.Pool({ connectionString: url, max: 4 });
const store = new PgStore(pool);
await store.init();
const newest = (await store.last('BTCUSD', '1m'))?.timestamp ?? MARKET_START + 29 * MIN;
const clock = new ManualClock(newest + 2 * MIN + 1000);
const until = process.argv[3] === undefined ? clock.now() + 60 * MIN : MARKET_START + Number(process.argv[3]) * MIN;
const symbols = [...MARKET_SYMBOLS];
const pipeline = new Pipeline({
  ...simulatedMarket(clock),
  store,
  sinks: [new PgSink(store, { bars: false })],
  clock,
  start: MARKET_START,
  random: () => 0.5,
  config: { symbols, timeframes: [...MARKET_TIMEFRAMES] },
});

/** Runs one cycle while advancing the clock five seconds at a time, so retries and timeouts can fire. */
async function cycle(): Promise<void> {
  let settled = false;
  const done = pipeline.runOnce().finally(() => {
    settled = true;
  });
  // Handled here; re-thrown by the await below.
  done.catch(() => undefined);
  for (let i = 0; !settled && i < 10_000; i++) await clock.advance(5000);
  await done;
}

while (clock.now() < until) {
  await cycle();
  console.log(`cycle ${new Date(clock.now()).toISOString()}`);
  await clock.advance(MIN - (clock.now() % MIN) + 1000);
}
await cycle();
await pipeline.flush();
await pipeline.stop();
for (const symbol of symbols) {
  const sizes = await Promise.all(MARKET_TIMEFRAMES.map(async (tf) => `${tf}: ${await store.size(symbol, tf)}`));
  console.log(`  ${symbol}  ${sizes.join('  ')}`);
}
await pool.end();
