import type { RateLimitBlock } from '../../failover/rate-limiter-state.js';
import { isoUtc } from '../../internal/iso-utc.js';

/**
 * A request not sent because its source's rate limiter refuses it until `until` (epoch ms):
 * our own pacing (`reason` `null`), or the server's `Retry-After` (`rate_limited`) or ban
 * (`banned`) still in force. The poller schedules the symbol for `until` instead of sleeping
 * inside its cycle; the feed controller decides what it means for the feed
 * (`FeedController.throttled`).
 */
export class Throttled extends Error {
  override readonly name = 'Throttled';
  /** When the limiter will grant the request, epoch ms. */
  readonly until: number;
  /** The source's name. */
  readonly source: string;
  /** Why: a server's block in force, or `null` for our own pacing. */
  readonly reason: RateLimitBlock | null;

  constructor(source: string, until: number, reason: RateLimitBlock | null) {
    super(`${source}'s rate limiter grants no request before ${isoUtc(until)}`);
    this.source = source;
    this.until = until;
    this.reason = reason;
  }
}
