/**
 * Two hours of a simulated BTCUSD/ETHUSD market through a Pipeline into an FsStateSink, then a
 * Parquet data request. Prints every file written.
 *
 *     npm run build && npx tsx examples/fs-state-sink/main.ts [root]   # root defaults to . (./state and ./data)
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Pipeline } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { FsStateSink } from './fs-state-sink.js';

const T0 = Date.UTC(2025, 0, 30);
const symbols = ['BTCUSD', 'ETHUSD'];
const root = process.argv[2] ?? '.';

const clock = new ManualClock(T0 + 2 * 3_600_000 + 1_000); // 02:00:01, two hours of closed 1m bars
const primary = new SimulatedSource({ clock, name: 'exchange_api', symbols, generate: { start: T0, count: 180 } });
const sink = new FsStateSink({ root });
const pipeline = new Pipeline({ primary, clock, sinks: [sink], start: T0, config: { symbols, timeframes: ['1m', '5m', '15m', '1H'] } });

await pipeline.runOnce();
const response = await pipeline.request({
  request_id: 'DATA-001',
  requester: 'feature-engineer',
  request_type: 'historical_data',
  parameters: { symbol: 'BTCUSD', timeframe: '5m', start_date: '2025-01-30', end_date: '2025-01-30', format: 'parquet' },
  priority: 'normal',
});
await pipeline.flush();
await pipeline.stop();

console.log(
  response.status === 'completed'
    ? `data response: ${response.rows} rows -> ${response.output_path}`
    : `data response: ${response.status} ${JSON.stringify(response)}`,
);
console.log(`files under ${sink.root}:`);
for (const entry of await readdir(sink.root, { recursive: true, withFileTypes: true })) {
  if (entry.isFile()) console.log(`  ${relative(sink.root, join(entry.parentPath, entry.name))}`);
}
