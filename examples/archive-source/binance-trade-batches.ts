import { toEpochMs, validateTicks, type Tick } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';
import { dumpLineBatches } from './dump-line-batches.js';
import type { ArchiveFile } from './list-archive-files.js';

/** One trades-dump line as a `Tick`, or the reason it is none. */
function tradeOf(line: string): Tick | string {
  // Spot: id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch (True/False); USD-M futures: the first six (true/false).
  const f = line.split(',');
  if (f.length !== 6 && f.length !== 7)
    return `expected 6 or 7 columns (id, price, qty, quoteQty, time, isBuyerMaker[, isBestMatch]), found ${f.length}`;
  const time = toEpochMs(Number(f[4]));
  if (!time.ok) return `time ${f[4]}: ${time.issues.map((i) => i.message).join('; ')}`;
  const maker = (f[5] as string).toLowerCase();
  if (maker !== 'true' && maker !== 'false') return `isBuyerMaker is ${JSON.stringify(f[5])}, not True or False`;
  // The buyer was the maker: the taker sold.
  return {
    timestamp: time.value,
    price: Number(f[1]),
    quantity: Number(f[2]),
    side: maker === 'true' ? 'sell' : 'buy',
    tradeId: Number(f[0]),
  };
}

/**
 * The trades of one Binance trades dump (data.binance.vision `<SYMBOL>-trades-<period>.zip` or
 * its CSV), streamed and checked a batch of lines at a time: spot's seven columns or USD-M
 * futures' six (with their header line), times in ms or µs (spot files from 2025 on),
 * `isBuyerMaker` turned into the taker's `side`. Each batch is checked with `validateTicks`
 * (ids increasing) together with the previous batch's last trade, and every time must lie in
 * the period the file's name gives.
 *
 * @param file - A Binance trades dump (`timeframe: 'trades'`).
 * @returns The trades in batches, oldest first; a batch is yielded only once it is checked, and
 *   the file's last lines only once its zip CRC-32 and size match.
 * @throws SourceError of kind `bad_data` naming the file and the line.
 */
export async function* binanceTradeBatches(file: ArchiveFile): AsyncGenerator<Tick[], void, undefined> {
  const { path } = file;
  const { from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY } = file.period ?? {};
  let previous: Tick | undefined;
  for await (const { lines, first } of dumpLineBatches(file)) {
    const ticks: Tick[] = [];
    for (let k = 0; k < lines.length; k++) {
      const tick = tradeOf(lines[k] as string);
      if (typeof tick === 'string') throw badArchiveData(path, `line ${first + k}`, tick);
      if (tick.timestamp < from || tick.timestamp >= to) {
        throw badArchiveData(
          path,
          `line ${first + k}`,
          `time ${new Date(tick.timestamp).toISOString()} is outside the period the file's name gives`,
        );
      }
      ticks.push(tick);
    }
    const checked = previous === undefined ? ticks : [previous, ...ticks];
    const issue = validateTicks(checked, { increasingIds: true }).issues[0];
    if (issue !== undefined) {
      const k = issue.index - (checked.length - ticks.length);
      throw badArchiveData(path, `line ${first + k}`, issue.message.replace(/^Trade \d+: /, ''));
    }
    previous = ticks[ticks.length - 1];
    yield ticks;
  }
}
