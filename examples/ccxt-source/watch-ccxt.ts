import type { Exchange, OHLCV, Trade } from 'ccxt';
import { fromCcxtOhlcv, fromCcxtTrades, timeframeMs, type FixedTimeframe, type SourceError } from 'market-data-pipeline';

/** The parts of a ccxt exchange instance the streaming helpers use (`new ccxt.pro.<exchange>()` has them). */
export type CcxtWatcher = Pick<Exchange, 'has' | 'watchOHLCV' | 'watchTrades'> & Partial<Pick<Exchange, 'unWatchOHLCV' | 'unWatchTrades'>>;

/** How long a finished stream waits for ccxt's `unWatch*` to unsubscribe, ms. */
const UNWATCH_MS = 5_000;

/** What {@link watchOhlcvRows} and {@link watchTradeRows} need besides the exchange. */
export interface WatchContext {
  /** Ends the stream: the generator returns and asks ccxt to unsubscribe (`unWatch*`, where the exchange has it). */
  readonly signal: AbortSignal | undefined;
  /** Turns what ccxt threw into the source's `SourceError`. */
  readonly toSourceError: (error: unknown) => SourceError;
}

/** `promise`, or a rejection with `signal.reason` as soon as `signal` aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        onAbort = (): void => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Asks ccxt to stop a subscription once its stream is over (`unWatchOHLCV` / `unWatchTrades`, which
 * ccxt.pro's Binance has), so a pending watch does not stay subscribed; waits at most
 * {@link UNWATCH_MS}, and a failure is ignored (the stream is over either way).
 */
async function stopWatching(unwatch: (() => Promise<unknown>) | undefined): Promise<void> {
  if (unwatch === undefined) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([unwatch().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, UNWATCH_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The next answer of `watch`, or `undefined` once `signal` aborted; ccxt's failures as `SourceError`s. */
async function nextUpdate<T>(watch: () => Promise<T>, context: WatchContext): Promise<T | undefined> {
  try {
    return await untilAborted(watch(), context.signal);
  } catch (error) {
    if (context.signal?.aborted === true) return undefined;
    throw context.toSourceError(error);
  }
}

/**
 * Bars as ccxt's `watchOHLCV` streams them, until `signal` aborts. ccxt hands over candles
 * without the exchange's "closed" flag, so a candle counts as closed once a later one arrived
 * (Binance's kline stream sends a kline's final update before the next kline opens), with the
 * last values seen for it; the newest candle is passed on as forming only while its bar still
 * runs `formingGuardMs` past `now()` (a late update of a bar closed by the pipeline's clock
 * would be taken for the closed bar).
 *
 * @param symbol - ccxt's unified symbol.
 * @param timeframe - The bars' timeframe.
 * @param now - The time, epoch ms.
 * @param formingGuardMs - See above, ms.
 * @returns `Ohlcv`-shaped rows (a candle `fromCcxtOhlcv` refuses is passed on as it came).
 */
export async function* watchOhlcvRows(
  exchange: CcxtWatcher,
  symbol: string,
  timeframe: FixedTimeframe,
  context: WatchContext & { readonly now: () => number; readonly formingGuardMs: number },
): AsyncGenerator<unknown, void, undefined> {
  const widthMs = timeframeMs(timeframe);
  const tf = timeframe.toLowerCase();
  const row = (candle: OHLCV): unknown => fromCcxtOhlcv([candle]).rows[0] ?? candle;
  let newest: OHLCV | undefined;
  let lastClosed = Number.NEGATIVE_INFINITY;
  try {
    for (;;) {
      const candles = await nextUpdate(() => exchange.watchOHLCV(symbol, tf), context);
      if (candles === undefined) return;
      for (const candle of candles) {
        const t = candle[0] ?? Number.NaN;
        const held = newest?.[0] ?? Number.NEGATIVE_INFINITY;
        if (newest !== undefined && t > held && held > lastClosed) {
          lastClosed = held;
          yield row(newest);
        }
        if (t >= held) newest = candle;
      }
      const t = newest?.[0];
      if (newest !== undefined && t !== undefined && t > lastClosed && t + widthMs - 1 >= context.now() + context.formingGuardMs)
        yield row(newest);
    }
  } finally {
    await stopWatching(exchange.unWatchOHLCV === undefined ? undefined : () => exchange.unWatchOHLCV?.(symbol, tf) as Promise<unknown>);
  }
}

/**
 * Trades as ccxt's `watchTrades` streams them, from `since` on, until `signal` aborts.
 *
 * @param symbol - ccxt's unified symbol.
 * @param since - Time of the first trade wanted, epoch ms.
 * @returns `Tick`-shaped rows (a trade `fromCcxtTrades` refuses is passed on as it came).
 */
export async function* watchTradeRows(
  exchange: CcxtWatcher,
  symbol: string,
  since: number | undefined,
  context: WatchContext,
): AsyncGenerator<unknown, void, undefined> {
  try {
    for (;;) {
      const trades: Trade[] | undefined = await nextUpdate(() => exchange.watchTrades(symbol), context);
      if (trades === undefined) return;
      for (const trade of trades)
        if (since === undefined || (trade.timestamp ?? 0) >= since) yield fromCcxtTrades([trade]).rows[0] ?? trade;
    }
  } finally {
    await stopWatching(exchange.unWatchTrades === undefined ? undefined : () => exchange.unWatchTrades?.(symbol) as Promise<unknown>);
  }
}
