import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /**
   * The store directory (`-sd`) of a previous server, to start again on the same data (a restart).
   * It is not removed by `stop()`: whoever created it removes it. @defaultValue a new temporary directory, removed by `stop()`
   */
  readonly storeDir?: string;
  /** The port to listen on (127.0.0.1 only). @defaultValue a free port */
  readonly port?: number;
  /** Extra lines of a server configuration file (e.g. `mappings = { … }`), passed with `-c`. */
  readonly config?: string;
  /** How long to wait for the server to serve JetStream, ms. @defaultValue 15000 */
  readonly readyTimeoutMs?: number;
}

/** A running private `nats-server -js` (see {@link startNatsServer}). */
export interface NatsServer {
  /** Its client URL, e.g. `nats://127.0.0.1:41234`. */
  readonly url: string;
  /** The TCP port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** Its JetStream store directory (`-sd`). */
  readonly storeDir: string;
  /** Its process id. */
  readonly pid: number;
  /** Kills the server with SIGKILL (a crash: nothing is flushed) and waits until it is gone, at most 5 s. */
  kill(): Promise<void>;
  /** Kills the server (SIGKILL) and removes the store directory when this call created it. Idempotent. */
  stop(): Promise<void>;
}

/** The `nats-server` binary: `$NATS_SERVER`, else `nats-server` on `PATH` (Debian: `/usr/sbin`). */
export function natsServerBinary(): string | undefined {
  const fromEnv = process.env['NATS_SERVER'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** A TCP port free at the time of asking (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once `child` exited, or after `ms` (then false). */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a throwaway `nats-server` with JetStream for tests, benchmarks and the demo: 127.0.0.1
 * on a free port, its store in a new temporary directory (or `storeDir`, to restart on the data
 * of a server that was killed). It resolves once the server answers a JetStream account request
 * (bounded by `readyTimeoutMs`). The server is killed and its temporary directory removed by
 * `stop()`, and also when this process exits without calling it.
 *
 * @param options - See {@link NatsServerOptions}.
 * @returns The running server.
 * @throws When `nats-server` is not installed (the message says `apt-get install nats-server`),
 *   exits early, or does not serve JetStream in time (its output is in the message).
 *
 * @example
 * ```ts
 * const server = await startNatsServer();
 * const nc = await connect({ servers: server.url });
 * // …
 * await nc.close();
 * await server.stop();
 * ```
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = natsServerBinary();
  if (binary === undefined)
    throw new Error('nats-server is not installed: apt-get install nats-server (Debian/Ubuntu), or set NATS_SERVER');
  const ownDir = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'nats-js-'));
  const port = options.port ?? (await freePort());
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  if (options.config !== undefined) {
    const file = join(storeDir, `server-${port}.conf`);
    writeFileSync(file, options.config);
    args.push('-c', file);
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  });
  let stopped = false;
  const removeDir = (): void => {
    if (ownDir) rmSync(storeDir, { recursive: true, force: true });
  };
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGKILL');
    removeDir();
  };
  process.once('exit', stopSync);
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nats-server exited early:\n${output}`);
      try {
        const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
        try {
          await (await jetstreamManager(nc, { timeout: 1000 })).getAccountInfo();
          break;
        } finally {
          await nc.close();
        }
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`nats-server did not serve JetStream in time (${String(error)}):\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    stopSync();
    process.off('exit', stopSync);
    throw error;
  }
  return {
    url,
    port,
    storeDir,
    pid: child.pid ?? -1,
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      if (!(await exited(child, 5000))) throw new Error(`nats-server ${child.pid} did not exit within 5 s of SIGKILL`);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopSync);
      child.kill('SIGKILL');
      await exited(child, 5000);
      removeDir();
    },
  };
}
