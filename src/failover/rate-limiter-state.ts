/** Why a rate limiter refuses everything until `blockedUntil`: HTTP 429 (`rate_limited`) or HTTP 418 (`banned`). */
export type RateLimitBlock = 'rate_limited' | 'banned';

/** A grant remembered by a sliding window: when it was made and its weight. */
export interface RateLimitGrant {
  /** When the weight was taken, epoch ms. */
  readonly at: number;
  /** Weight taken at `at` (requests granted in the same ms are summed). */
  readonly weight: number;
}

/**
 * State of a source's rate limiter: plain JSON, created by `createRateLimiter`, advanced by
 * `tryAcquire` and `applyServerFeedback`. Every model refuses everything while a server's
 * `Retry-After` or ban is in force (`blockedUntil`).
 *
 * - `sliding_window` (the default): at most `limit` weight in every window of `windowMs`,
 *   wherever it starts. `grants` remembers the grants of the last `windowMs` (at most one
 *   entry per ms, so at most `limit` entries for requests of weight 1 or more); a grant stops
 *   counting `windowMs` after it was made.
 * - `token_bucket`: holds up to `capacity` tokens, refilled continuously at `refillPerMs`
 *   tokens per ms; a request of weight `w` takes `w` tokens. Over any interval of length `T`
 *   it grants at most `capacity + refillPerMs × T`.
 * - `weight_window`: at most `limit` weight per window of `windowMs`, windows aligned to the
 *   epoch (Binance: each clock minute); `used` counts the current window's weight.
 */
export type RateLimiterState =
  | {
      readonly kind: 'sliding_window';
      /** Weight allowed in any window of `windowMs`. */
      readonly limit: number;
      /** Window length, ms. */
      readonly windowMs: number;
      /** Grants of the last `windowMs`, oldest first (times ascending). */
      readonly grants: readonly RateLimitGrant[];
      /** Nothing is granted before this time (epoch ms); `null` when not blocked. */
      readonly blockedUntil: number | null;
      /** Why it is blocked; `null` when not blocked. */
      readonly blockReason: RateLimitBlock | null;
    }
  | {
      readonly kind: 'token_bucket';
      /** Largest number of tokens held (the burst), in weight units. */
      readonly capacity: number;
      /** Tokens added per ms. */
      readonly refillPerMs: number;
      /** Tokens available at `updatedAt`. */
      readonly tokens: number;
      /** Time of the last refill, epoch ms; `null` before the first use (the bucket is full). */
      readonly updatedAt: number | null;
      /** Nothing is granted before this time (epoch ms); `null` when not blocked. */
      readonly blockedUntil: number | null;
      /** Why it is blocked; `null` when not blocked. */
      readonly blockReason: RateLimitBlock | null;
    }
  | {
      readonly kind: 'weight_window';
      /** Weight allowed per window. */
      readonly limit: number;
      /** Window length, ms. */
      readonly windowMs: number;
      /** Start of the current window, epoch ms; `null` before the first use. */
      readonly windowStart: number | null;
      /** Weight used in the current window (ours, or more if the server says so). */
      readonly used: number;
      /** Nothing is granted before this time (epoch ms); `null` when not blocked. */
      readonly blockedUntil: number | null;
      /** Why it is blocked; `null` when not blocked. */
      readonly blockReason: RateLimitBlock | null;
    };

/** What `tryAcquire` answers: granted, or refused with how long to wait. */
export type RateLimitDecision =
  | {
      /** The new limiter state. */
      readonly state: RateLimiterState;
      /** The request may be sent now; its weight has been taken. */
      readonly granted: true;
    }
  | {
      /** The new limiter state (time has passed, nothing was taken). */
      readonly state: RateLimiterState;
      /** The request must not be sent now. */
      readonly granted: false;
      /**
       * Ms until the request can be granted (until a block ends and the limit has room for its
       * weight); at least 1. Asking then may still be refused if the server says more meanwhile.
       */
      readonly waitMs: number;
    };

/**
 * What a server said about our rate limit, given to `applyServerFeedback`.
 *
 * - `used_weight`: the weight the server counts as used in its current window (Binance's
 *   `X-MBX-USED-WEIGHT-1M` header). `sentAt` (epoch ms), when given, is when the request was
 *   sent; a header counted in an earlier window is then ignored (weight window).
 * - `rate_limited`: HTTP 429. Nothing is granted for `retryAfterMs` (`Retry-After`, in ms);
 *   without it, the current window is spent (weight window), the sliding window filled, or the
 *   bucket emptied (token bucket).
 * - `banned`: HTTP 418 (an IP ban). Nothing is granted for `retryAfterMs`; without it, for
 *   {@link DEFAULT_BAN_MS}.
 */
export type RateLimitFeedback =
  | {
      readonly kind: 'used_weight';
      /** Weight the server counts as used in the current window. */
      readonly used: number;
      /** When the request that carried the header was sent, epoch ms. */
      readonly sentAt?: number;
    }
  | {
      readonly kind: 'rate_limited';
      /** The server's `Retry-After`, in ms. */
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: 'banned';
      /** The ban's duration (`Retry-After`), in ms. */
      readonly retryAfterMs?: number;
    };

/**
 * Duration assumed for an HTTP 418 ban whose answer does not say how long it lasts: 2 minutes,
 * the shortest ban Binance documents (bans grow from 2 minutes to 3 days for repeat offenders).
 *
 * @defaultValue `120000` (ms)
 */
export const DEFAULT_BAN_MS = 120_000;

/**
 * The longest wait a server's `Retry-After` or ban may impose: 3 days, the longest ban Binance
 * documents. A longer one (`Infinity` included) is taken as this long and
 * reported (`backoff`'s `requestedMs`), so that a broken header cannot silence a source for ever.
 *
 * @defaultValue `259200000` (ms)
 */
export const MAX_RETRY_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
