/**
 * A simulated BTCUSD/ETHUSD market through a Pipeline whose history lives in PostgreSQL, driven
 * minute by minute on a hand-driven clock. Each run starts one minute after the newest stored
 * 1m bar closed (or 30 minutes into the market), so a run killed at any point and started again
 * resumes from the database alone; it prints one `cycle <time>` line per simulated minute.
 *
 *     npm run build && npx tsx examples/postgres-store/main.ts <connection-url> [until-minute] [ms-per-minute]
 *
 * `until-minute`: stop once the clock reaches that many minutes after the market's start, i.e.
 * with the bars before that minute closed (default: one hour after where the run starts; a run
 * never starts past it). `ms-per-minute`: wall-clock pause after each simulated minute, to watch
 * the tables fill (default 0: as fast as it goes). Tables are created in the `market_data` schema.
 */
import { Pipeline } from 'market-data-pipeline';
import { ManualClock } from 'market-data-pipeline/testing';
import pg from 'pg';
import { PgSink } from './pg-sink.js';
import { PgStore } from './pg-store.js';
import { MARKET_START, MARKET_SYMBOLS, MARKET_TIMEFRAMES, simulatedMarket } from './simulated-market.js';

const MIN = 60_000;
const url = process.argv[2];
if (url === undefined) throw new Error('Usage: main.ts <connection-url> [until-minute] [ms-per-minute]');

const pool = new pg.Pool({ connectionString: url, max: 4 });
const store = new PgStore(pool);
await store.init();
const newest = (await store.last('BTCUSD', '1m'))?.timestamp ?? MARKET_START + 29 * MIN;
// One minute after the newest stored bar closed: the restart took a minute.
const from = newest + 2 * MIN;
const until = process.argv[3] === undefined ? from + 60 * MIN : MARKET_START + Number(process.argv[3]) * MIN;
const pace = Number(process.argv[4] ?? 0);
const clock = new ManualClock(Math.min(from, until) + 1000);
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

/**
 * Runs one cycle. The database answers in real time, so simulated time must not run on while a
 * query is in flight: the clock moves (5 s at a time, so the pipeline's retries can fire) only
 * while something sleeps on it and the cycle has had 2 ms of real time to settle, and never into the next
 * minute — a cycle started at mm:01 sees the bars closed at mm:00 and no later ones, however slow
 * the machine.
 */
async function cycle(): Promise<void> {
  let settled = false;
  const done = pipeline.runOnce().finally(() => {
    settled = true;
  });
  // Handled here; re-thrown by the await below.
  done.catch(() => undefined);
  const limit = clock.now() - (clock.now() % MIN) + MIN - 1000;
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!settled && clock.pending > 0 && clock.now() < limit) await clock.advance(Math.min(5000, limit - clock.now()));
  }
  await done;
}

while (clock.now() < until) {
  await cycle();
  console.log(`cycle ${new Date(clock.now()).toISOString()}`);
  if (pace > 0) await new Promise((resolve) => setTimeout(resolve, pace));
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
