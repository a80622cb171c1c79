import type { KV } from '@nats-io/kv';

/**
 * The number of live workers: the `worker.*` entries of the lease bucket (each worker renews its
 * own, and the bucket's `max_age` expires a dead one's), read within `timeoutMs`.
 *
 * `KV.keys()` lists keys through an ephemeral push consumer and ends at the last pending key or,
 * failing that, at the consumer's next idle heartbeat. A key that expires between the consumer's
 * creation and its delivery, or a consumer the server dropped, leaves the listing waiting for a
 * heartbeat that may never come: the deadline stops it.
 *
 * @param leases - The lease bucket.
 * @param timeoutMs - How long the listing may take, ms.
 * @returns How many `worker.*` keys the bucket holds.
 * @throws When the listing did not end within `timeoutMs` (or the bucket could not be read).
 */
export async function liveWorkers(leases: KV, timeoutMs: number): Promise<number> {
  const keys = await leases.keys('worker.*');
  const timer = setTimeout(() => keys.stop(new Error(`Listing the live workers took more than ${timeoutMs} ms`)), timeoutMs);
  try {
    let n = 0;
    for await (const key of keys) if (key !== '') n++;
    return n;
  } finally {
    clearTimeout(timer);
  }
}
