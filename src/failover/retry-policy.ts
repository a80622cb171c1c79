import { z } from 'zod';
import { DEFAULT_FEED_FAILURE } from '../schemas/config.js';

const finite = z.number().refine(Number.isFinite, { message: 'Expected a finite number' });

/** zod schema of {@link RetryPolicy}. */
export const RetryPolicySchema = z
  .strictObject({
    /** Largest delay of the first retry, in ms (the first retry waits a random time in `[0, baseMs)`). */
    baseMs: finite.pipe(z.number().min(0)),
    /** The ceiling grows by this factor with each attempt. */
    factor: finite.pipe(z.number().min(1)),
    /** Largest delay of any retry, in ms. */
    maxMs: finite.pipe(z.number().min(0)),
  })
  .refine((p) => p.maxMs >= p.baseMs, { message: 'Expected `maxMs` to be at least `baseMs`', path: ['maxMs'] });

/** Exponential backoff with full jitter; see {@link DEFAULT_RETRY_POLICY}. */
export type RetryPolicy = z.output<typeof RetryPolicySchema>;

/**
 * Retries start from the specification's retry delay (5 s) and double, capped at 1 minute
 * (this library's choice: well inside the 5 minutes after which an unavailable source is
 * escalated).
 *
 * @defaultValue `{ baseMs: 5000, factor: 2, maxMs: 60000 }`
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: DEFAULT_FEED_FAILURE.retryDelayMs, factor: 2, maxMs: 60_000 };
