/**
 * A request not sent because its source's rate limiter refuses it until `until` (epoch ms) —
 * our own pacing or the server's `Retry-After` or ban. Not a failure of the source: the poller
 * schedules the symbol for `until` instead of sleeping inside its cycle.
 */
export class Throttled extends Error {
  override readonly name = 'Throttled';
  /** When the limiter will grant the request, epoch ms. */
  readonly until: number;
  /** The source's name. */
  readonly source: string;

  constructor(source: string, until: number) {
    super(`${source}'s rate limiter grants no request before ${new Date(until).toISOString()}`);
    this.source = source;
    this.until = until;
  }
}
