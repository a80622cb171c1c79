import { PipelineStoppedError } from '../../errors/pipeline-stopped-error.js';
import type { AlertInput } from '../../reports/create-alert.js';
import type { DataFormat } from '../../schemas/data-request-schema.js';
import type { DatasetRecord, Sink, SinkRecord, SinkWriteResult } from '../sink.js';
import { SinkChannel, type SinkChannelOptions } from './sink-channel.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

/** An alert about a sink, raised through the pipeline's `AlertLog`. */
export type SinkAlert = Omit<AlertInput, 'sequence' | 'now'>;

/**
 * How {@link Delivery} builds its sink channels: each channel's settings, the emitter its
 * failures are reported on, and how it raises an alert about a sink (detached, overflow full).
 */
export type DeliveryOptions = Omit<SinkChannelOptions, 'onDeadLetter' | 'onFailedAttempt' | 'onDetached' | 'onOverflowFull'> & {
  readonly emitter: PipelineEmitter;
  readonly raiseAlert: (alert: SinkAlert) => void;
};

/**
 * Owns delivery: one bounded, retried, ordered {@link SinkChannel} per sink, which records each
 * sink accepts, and what is still pending for a checkpoint. Dead letters and failed attempts are
 * reported as events; a sink detached from backpressure, or whose overflow is full, gets an
 * alert. Once closed, it writes nothing more: records handed over then are only kept for the
 * checkpoint.
 */
export class Delivery {
  readonly #channels: readonly SinkChannel[];
  readonly #emitter: PipelineEmitter;
  readonly #settings: Omit<DeliveryOptions, 'emitter' | 'raiseAlert'>;
  #closed = false;

  constructor(sinks: readonly Sink[], options: DeliveryOptions) {
    this.#emitter = options.emitter;
    const { emitter: _emitter, raiseAlert, ...settings } = options;
    this.#settings = settings;
    const overflow = settings.overflowSize ?? Number.POSITIVE_INFINITY;
    this.#channels = sinks.map(
      (sink) =>
        new SinkChannel(sink, {
          ...settings,
          onDeadLetter: (record, error, attempts) => this.#emitter.emit('deadLetter', { sink: sink.name, record, error, attempts }),
          onFailedAttempt: (error) => this.#emitter.emit('error', { phase: 'sink', error }),
          onDetached: (queued) =>
            raiseAlert({
              severity: 'warning',
              type: 'feed',
              message: `Sink ${sink.name} is not keeping up: its queue of ${settings.bufferSize} records is full (${queued} queued)`,
              affected: {},
              actionTaken: `Detached from backpressure: its next records wait in an overflow of up to ${overflow} records (kept by checkpoints) while its writes are retried`,
              escalate: false,
            }),
          onOverflowFull: (queued) =>
            raiseAlert({
              severity: 'critical',
              type: 'feed',
              message: `Sink ${sink.name} is still not keeping up: its queue and overflow are full (${queued} records)`,
              affected: {},
              actionTaken: 'Its next records go to deadLetter unwritten until its queue drains',
              escalate: false,
            }),
        }),
    );
  }

  /** Queues a record on every sink that accepts it, without waiting (alerts raised inside synchronous steps). */
  enqueue(record: SinkRecord): void {
    for (const channel of this.#channels) if (accepts(channel.sink, record)) this.#push(channel, record);
  }

  /** Queues records, in order, on every sink that accepts them, waiting while a queue is full (and attached). */
  async deliver(records: readonly SinkRecord[], signal: AbortSignal | undefined): Promise<void> {
    if (records.length === 0) return;
    // A push that rejects (an abort, the pipeline stopping) leaves the records of the later
    // sinks queued all the same, beyond the bound, so that no sink's checkpoint misses them.
    let failure: { readonly error: unknown } | undefined;
    for (const channel of this.#channels) {
      const sink = channel.sink;
      const accepted = records.every((record) => accepts(sink, record)) ? records : records.filter((record) => accepts(sink, record));
      if (accepted.length === 0) continue;
      if (this.#closed || failure !== undefined) {
        channel.hold(accepted, !this.#closed);
        continue;
      }
      try {
        await channel.pushAll(accepted, signal);
      } catch (error) {
        failure = { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Names of the sinks that write datasets in `format`. */
  datasetSinks(format: DataFormat): readonly string[] {
    return this.#channels.filter((channel) => (channel.sink.datasetFormats ?? []).includes(format)).map((channel) => channel.sink.name);
  }

  /**
   * Writes a dataset to each sink that writes its format, and waits for each answer. Returns
   * the first output path a sink reported and why any sink failed.
   */
  async deliverDataset(
    record: DatasetRecord,
    signal: AbortSignal | undefined,
  ): Promise<{ readonly outputPath: string | null; readonly failure: string | undefined }> {
    let outputPath: string | null = null;
    let failure: string | undefined;
    for (const channel of this.#channels) {
      if (!(channel.sink.datasetFormats ?? []).includes(record.format)) continue;
      if (this.#closed) throw new PipelineStoppedError();
      try {
        const result: SinkWriteResult | undefined = await channel.deliver(record, signal);
        outputPath ??= result?.outputPath ?? null;
      } catch (error) {
        signal?.throwIfAborted();
        failure ??= `Sink ${channel.sink.name} could not write the dataset: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return { outputPath, failure };
  }

  /**
   * Resolves when every queue is empty (each record written or dead-lettered), then calls every
   * sink's `flush` (see {@link Delivery.#flushSinks}).
   *
   * @throws {@link PipelineStoppedError} once closed; `signal.reason` when it aborts.
   */
  async flush(signal: AbortSignal | undefined): Promise<void> {
    if (this.#closed) throw new PipelineStoppedError();
    await Promise.all(this.#channels.map((channel) => channel.drain(signal)));
    signal?.throwIfAborted();
    if (this.#closed) throw new PipelineStoppedError();
    await this.#flushSinks(signal);
  }

  /**
   * Aborts writes in flight and writes nothing more (queued records, and those handed over
   * later, stay for {@link Delivery.pending}); then calls every sink's `flush`, so each can make
   * durable what it took. Settles within `writeTimeoutMs` whatever a sink does.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#channels.map((channel) => channel.close()));
    await this.#flushSinks(undefined);
  }

  /**
   * Calls every sink's `flush` at once, each under the `writeTimeoutMs` time limit; one that
   * fails or does not answer in time is reported on `error` (phase `sink`) and does not hold
   * up the others. Rejects only with `signal.reason`.
   */
  async #flushSinks(signal: AbortSignal | undefined): Promise<void> {
    const { deadlines, writeTimeoutMs } = this.#settings;
    await Promise.all(
      this.#channels.map(async ({ sink }) => {
        if (sink.flush === undefined) return;
        try {
          await deadlines.run(
            writeTimeoutMs,
            signal,
            () => new DOMException(`Sink ${sink.name} did not flush within ${writeTimeoutMs} ms`, 'TimeoutError'),
            async (flushSignal) =>
              sink.flush?.({
                get signal() {
                  return flushSignal();
                },
              }),
          );
        } catch (error) {
          if (signal?.aborted !== true) this.#emitter.emit('error', { phase: 'sink', error });
        }
      }),
    );
    signal?.throwIfAborted();
  }

  /** Records not yet delivered, per sink name, oldest first. */
  pending(): Record<string, SinkRecord[]> {
    const pending: Record<string, SinkRecord[]> = {};
    for (const channel of this.#channels) pending[channel.sink.name] = [...channel.pending];
    return pending;
  }

  /**
   * Queues a checkpoint's pending records again, each on the sink it was pending for: all of
   * them, however many (they were handed over before; the bounds apply to new records).
   */
  restore(pending: Readonly<Record<string, readonly SinkRecord[]>>): void {
    for (const channel of this.#channels) channel.hold(pending[channel.sink.name] ?? [], !this.#closed);
  }

  #push(channel: SinkChannel, record: SinkRecord): void {
    if (this.#closed) channel.hold([record], false);
    else channel.push(record).catch((error: unknown) => this.#emitter.emit('error', { phase: 'sink', error }));
  }
}

function accepts(sink: Sink, record: SinkRecord): boolean {
  if (record.kind === 'dataset' && !(sink.datasetFormats ?? []).includes(record.format)) return false;
  return sink.accepts?.(record) ?? true;
}
