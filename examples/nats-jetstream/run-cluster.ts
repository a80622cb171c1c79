import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import type { AgentAccount } from './agent-main.js';
import { clusterSymbols, CLUSTER_MARKET_START, CLUSTER_TIMEFRAMES } from './cluster-market.js';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { natsNames } from './nats-names.js';
import type { NatsServer } from './start-nats-server.js';

/** Options of {@link runCluster}. */
export interface ClusterOptions {
  /** Worker processes. @defaultValue 3 */
  readonly workers?: number;
  /** Symbols of the simulated exchange. @defaultValue 24 */
  readonly symbols?: number;
  /** Partitions. @defaultValue 8 */
  readonly partitions?: number;
  /** Lease TTL, ms. @defaultValue 3000 */
  readonly leaseTtlMs?: number;
  /** Simulated ms per wall ms. @defaultValue 60 (a simulated minute per second) */
  readonly speed?: number;
  /** Whether to SIGKILL a worker (off: the benchmark's steady state). @defaultValue true */
  readonly kill?: boolean;
  /** Wall ms after every partition is held before one worker is killed. @defaultValue 5000 */
  readonly killAfterMs?: number;
  /** Wall ms the cluster runs after the takeover before the agent's account is closed. @defaultValue 8000 */
  readonly runAfterMs?: number;
  /** Subject and bucket prefix. @defaultValue 'md' */
  readonly prefix?: string;
  /** Progress lines. @defaultValue none */
  readonly log?: (line: string) => void;
}

/** One worker's part of the takeover. */
export interface Takeover {
  readonly worker: string;
  readonly partitions: readonly number[];
  /** Wall ms from the SIGKILL to its last acquisition of a dead worker's partition. */
  readonly afterMs: number;
  /** Whether every one of them resumed from the partition's checkpoint in KV. */
  readonly resumed: boolean;
}

/** What {@link runCluster} saw. */
export interface ClusterReport {
  /** Partitions held by each worker just before the kill. */
  readonly before: Readonly<Record<string, readonly number[]>>;
  /** The worker killed with SIGKILL (`''` with `kill: false`). */
  readonly killed: string;
  /** Who took the dead worker's partitions, and when. */
  readonly takeover: readonly Takeover[];
  /** The agent's final account. */
  readonly account: AgentAccount;
  /** Errors the workers reported (lines). */
  readonly errors: readonly string[];
}

interface WorkerLine {
  readonly worker: string;
  readonly kind: string;
  readonly partition?: number;
  readonly at: number;
  readonly error?: string;
  readonly resumed?: boolean;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Starts `node --import tsx <file> <json>`. */
function child(file: string, args: unknown): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', here(file), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves when `test()` holds, checked every 100 ms; rejects after `ms`. */
function until(test: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (test()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`Timed out after ${ms} ms waiting for ${what}`));
      }
    }, 100);
  });
}

/** Resolves once `proc` exited, or after `ms` (then it is SIGKILLed). */
async function ended(proc: ChildProcess, ms: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The kill-a-worker scenario, for `npm run demo:cluster` and its integration test: lays out the
 * streams and buckets on `server`, starts `workers` worker processes (`worker-main.ts`) over the
 * seeded exchange and an agent process (`agent-main.ts`), waits until every partition is held,
 * lets the cluster run `killAfterMs`, SIGKILLs the worker holding the most partitions, waits
 * until the others hold all of its partitions (bounded: three lease TTLs and 15 s), lets the
 * cluster run `runAfterMs` more, and collects the agent's account of every bar that opened before
 * then. Every wait is bounded; every child process is killed before it returns or throws.
 *
 * @param server - A running server (`startNatsServer`).
 * @param options - See {@link ClusterOptions}.
 * @returns What happened.
 */
export async function runCluster(server: NatsServer, options: ClusterOptions = {}): Promise<ClusterReport> {
  const workers = options.workers ?? 3;
  const partitions = options.partitions ?? 8;
  const leaseTtlMs = options.leaseTtlMs ?? 3000;
  const speed = options.speed ?? 60;
  const killAfterMs = options.killAfterMs ?? 5000;
  const runAfterMs = options.runAfterMs ?? 8000;
  const prefix = options.prefix ?? 'md';
  const log = options.log ?? ((): void => undefined);
  const symbols = clusterSymbols(options.symbols ?? 24);
  const names = natsNames(prefix);
  const nc = await connect({ servers: server.url, timeout: 5000 });
  try {
    await ensureNatsLayout(nc, names, { timeframes: CLUSTER_TIMEFRAMES, leaseTtlMs });
  } finally {
    await nc.close();
  }
  const start = CLUSTER_MARKET_START + 30 * 60_000;
  const origin = Date.now();
  const children = new Map<string, ChildProcess>();
  const holders = new Map<number, string>();
  const lines: WorkerLine[] = [];
  const errors: string[] = [];
  try {
    for (let i = 1; i <= workers; i++) {
      const id = `worker-${i}`;
      const worker = child('./worker-main.ts', { url: server.url, prefix, id, partitions, symbols, leaseTtlMs, start, origin, speed });
      children.set(id, worker);
      worker.stderr?.on('data', (chunk: Buffer) => errors.push(`${id}: ${chunk.toString('utf8').trim()}`));
      createInterface({ input: worker.stdout! }).on('line', (text) => {
        let line: WorkerLine;
        try {
          line = JSON.parse(text) as WorkerLine;
        } catch {
          errors.push(`${id}: not an event line: ${text}`);
          return;
        }
        lines.push(line);
        if (line.partition === undefined) return;
        if (line.kind === 'acquired') holders.set(line.partition, line.worker);
        else if (line.kind === 'error' || line.kind === 'deadLetter')
          errors.push(`${line.worker} p${line.partition} ${line.kind}: ${line.error ?? ''}`);
        else if (holders.get(line.partition) === line.worker) holders.delete(line.partition);
      });
    }
    const allHeld = (): boolean => holders.size === partitions;
    await until(allHeld, 30_000, 'every partition to be held');
    log(`all ${partitions} partitions held after ${((Date.now() - origin) / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    const before: Record<string, number[]> = {};
    for (const [partition, worker] of [...holders].sort(([a], [b]) => a - b)) (before[worker] ??= []).push(partition);
    for (const [worker, held] of Object.entries(before)) log(`  ${worker} holds ${held.join(', ')}`);
    const killed = options.kill === false ? '' : (Object.entries(before).sort(([, a], [, b]) => b.length - a.length)[0]?.[0] ?? 'worker-1');
    const orphans = before[killed] ?? [];
    const untilSim = Math.floor((start + (Date.now() - origin + runAfterMs) * speed) / 60_000) * 60_000;
    const agent = child('./agent-main.ts', {
      url: server.url,
      prefix,
      symbols,
      start,
      origin,
      speed,
      until: untilSim,
      deadline: Date.now() + runAfterMs + 30_000,
    });
    children.set('agent', agent);
    let agentOutput = '';
    agent.stdout?.on('data', (chunk: Buffer) => (agentOutput += chunk.toString('utf8')));
    agent.stderr?.on('data', (chunk: Buffer) => errors.push(`agent: ${chunk.toString('utf8').trim()}`));
    children.get(killed)?.kill('SIGKILL');
    const killedAt = Date.now();
    if (killed !== '') log(`SIGKILL ${killed} (partitions ${orphans.join(', ')})`);
    await until(() => orphans.every((p) => holders.has(p) && holders.get(p) !== killed), 3 * leaseTtlMs + 15_000, 'the takeover');
    const takeover = new Map<string, { partitions: number[]; at: number; resumed: boolean }>();
    for (const line of lines)
      if (line.kind === 'acquired' && line.at >= killedAt && line.partition !== undefined && orphans.includes(line.partition)) {
        const entry = takeover.get(line.worker) ?? { partitions: [], at: 0, resumed: true };
        entry.partitions.push(line.partition);
        entry.at = Math.max(entry.at, line.at);
        entry.resumed &&= line.resumed === true;
        takeover.set(line.worker, entry);
      }
    const agentExit = new Promise<void>((resolve) => agent.once('exit', () => resolve()));
    await Promise.race([agentExit, new Promise((resolve) => setTimeout(resolve, runAfterMs + 40_000))]);
    const text = agentOutput.trim().split('\n').at(-1) ?? '';
    if (text === '') throw new Error(`The agent printed no account:\n${errors.join('\n')}`);
    return {
      before,
      killed,
      takeover: [...takeover].map(([worker, { partitions: taken, at, resumed }]) => ({
        worker,
        partitions: taken.sort((a, b) => a - b),
        afterMs: at - killedAt,
        resumed,
      })),
      account: JSON.parse(text) as AgentAccount,
      errors,
    };
  } finally {
    for (const proc of children.values()) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await Promise.all([...children.values()].map((proc) => ended(proc, 10_000)));
  }
}
