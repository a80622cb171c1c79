import { DEFAULT_RETENTION, type Retention, type Timeframe } from 'market-data-pipeline';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsNames } from './nats-names.js';

/** Options of {@link ensureNatsLayout}. */
export interface NatsLayoutOptions {
  /** The timeframes whose bar streams to create. */
  readonly timeframes: readonly Timeframe[];
  /**
   * Each bar stream's `max_age`, ms per timeframe (`null` or absent: unlimited).
   * @defaultValue the specification's table: 1m 90 days, 5m 180, 15m 365, 1H 730, 4H and 1D unlimited
   */
  readonly retention?: Retention;
  /**
   * The server's de-duplication window (`duplicate_window`), ms: a bar published again with the
   * same `Nats-Msg-Id` within it is stored once. @defaultValue 120000 (2 minutes, the server's default)
   */
  readonly duplicateWindowMs?: number;
  /** Time-to-live of a lease (the lease bucket's `max_age`), ms. @defaultValue 10000 */
  readonly leaseTtlMs?: number;
  /** Whether to create the stream of raw exchange bars that `NatsSource` consumes (max_age 1 day). @defaultValue false */
  readonly raw?: boolean;
}

const NS_PER_MS = 1_000_000;

/**
 * Creates (or updates to these settings) what {@link natsNames} names: one file-backed stream per
 * timeframe of bars with its retention as `max_age` and `max_msgs_per_subject` unlimited, the
 * event stream, the raw stream when asked, and the three KV buckets (documents with history 1, leases with `max_age` the
 * lease TTL, checkpoints). Idempotent: every worker calls it at start.
 *
 * @param nc - A connection.
 * @param names - Where things live.
 * @param options - See {@link NatsLayoutOptions}.
 */
export async function ensureNatsLayout(nc: NatsConnection, names: NatsNames, options: NatsLayoutOptions): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const retention = options.retention ?? DEFAULT_RETENTION;
  const duplicateWindow = (options.duplicateWindowMs ?? 120_000) * NS_PER_MS;
  const streams = [
    ...options.timeframes.map((tf) => ({
      name: names.barStream(tf),
      subjects: [`${names.prefix}.bar.${tf}.*`],
      max_age: (retention[tf] ?? 0) * NS_PER_MS,
    })),
    { name: names.eventStream, subjects: [`${names.prefix}.alert.*`, `${names.prefix}.response.*`], max_age: 0 },
    ...(options.raw === true ? [{ name: names.rawStream, subjects: [`${names.prefix}.raw.*.*.*`], max_age: 86_400_000 * NS_PER_MS }] : []),
  ];
  for (const stream of streams) {
    const config = {
      ...stream,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: duplicateWindow,
      allow_direct: true,
    };
    // Only a missing stream is added; a failed update (a setting the server refuses) throws.
    const exists = await jsm.streams.info(stream.name).then(
      () => true,
      (error: unknown) => {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return false;
        throw error;
      },
    );
    if (exists) await jsm.streams.update(stream.name, config);
    else await jsm.streams.add(config);
  }
  const kvm = new Kvm(nc);
  await kvm.create(names.documentBucket, { history: 1 });
  await kvm.create(names.leaseBucket, { history: 1, ttl: options.leaseTtlMs ?? 10_000 });
  await kvm.create(names.checkpointBucket, { history: 1 });
}
