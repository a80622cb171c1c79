import { Pipeline, type Sink } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';

// A simulated exchange (swap in your own Source: see examples/ccxt-source), a clock we drive by hand.
const start = Date.UTC(2025, 0, 30);
const clock = new ManualClock(start + 3 * 60 * 60_000);
const exchange = new SimulatedSource({ clock, name: 'exchange_api', symbols: ['BTCUSD'], generate: { start, count: 24 * 60 } });
const backup = new SimulatedSource({ clock, name: 'data_provider', symbols: ['BTCUSD'], generate: { start, count: 24 * 60 } });

// A sink is anything with a name and a write(): here, a console summary of what is delivered.
const delivered: Record<string, number> = {};
const console_: Sink = {
  name: 'console',
  write: (record) => {
    const key = record.kind === 'bars' ? `${record.symbol} ${record.timeframe}` : record.kind === 'document' ? record.name : record.kind;
    delivered[key] = (delivered[key] ?? 0) + (record.kind === 'bars' ? record.bars.length : 1);
    return Promise.resolve();
  },
};

const pipeline = new Pipeline({ primary: exchange, backup, sinks: [console_], clock, start, config: { symbols: ['BTCUSD'] } });
pipeline.on('gap', ({ report }) => console.log(`gap: ${report.missingBars} bars, ${report.resolution}`));
pipeline.on('alert', (alert) => console.log(`alert ${alert.alert_id}: ${alert.message}`));

await pipeline.runOnce(); // fetch, validate, fill gaps, aggregate 1m → 5m … 1D, score, build documents, deliver
await pipeline.flush();
console.log(delivered);
