import type { SinkFrame } from './sink-frame.js';

/** The kinds of frame a client can ask for. */
export const FRAME_KINDS = ['bars', 'forming', 'document', 'alert'] as const;

/** One of {@link FRAME_KINDS}. */
export type FrameKind = (typeof FRAME_KINDS)[number];

/**
 * What one client asked for; an empty set means "every". Symbols filter every frame that names
 * one (a `data_status` or `quality_report` document names none and always passes); timeframes
 * filter bars and forming bars.
 */
export interface ClientSubscription {
  readonly symbols: ReadonlySet<string>;
  readonly timeframes: ReadonlySet<string>;
  readonly kinds: ReadonlySet<FrameKind>;
}

function list(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Reads a subscription from a connection URL's query: `symbols=BTCUSD,ETHUSD`,
 * `timeframes=1m,1H`, `kinds=bars,document` (comma-separated; absent: every).
 *
 * @returns The subscription, or the reason it is refused (an unknown kind).
 */
export function readSubscription(query: URLSearchParams): ClientSubscription | string {
  const kinds = list(query.get('kinds'));
  const unknown = kinds.find((k) => !(FRAME_KINDS as readonly string[]).includes(k));
  if (unknown !== undefined) return `unknown kind \`${unknown}\` (expected ${FRAME_KINDS.join(', ')})`;
  return {
    symbols: new Set(list(query.get('symbols'))),
    timeframes: new Set(list(query.get('timeframes'))),
    kinds: new Set(kinds as FrameKind[]),
  };
}

/** The symbol a frame concerns, if it names one. */
function symbolOf(frame: SinkFrame): string | undefined {
  if (frame.type === 'alert') return frame.alert.affected.symbol;
  return frame.symbol;
}

/** Whether `frame` is one `subscription` asked for. */
export function wants(subscription: ClientSubscription, frame: SinkFrame): boolean {
  if (subscription.kinds.size > 0 && !subscription.kinds.has(frame.type)) return false;
  const symbol = symbolOf(frame);
  if (subscription.symbols.size > 0 && symbol !== undefined && !subscription.symbols.has(symbol)) return false;
  if (
    (frame.type === 'bars' || frame.type === 'forming') &&
    subscription.timeframes.size > 0 &&
    !subscription.timeframes.has(frame.timeframe)
  )
    return false;
  return true;
}
