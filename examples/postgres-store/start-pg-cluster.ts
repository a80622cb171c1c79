import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Options of {@link startPgCluster}. */
export interface PgClusterOptions {
  /**
   * Server settings passed as `-c name=value` (e.g. `{ fsync: 'off' }` for throwaway test data).
   * @defaultValue {} (the server's defaults: every commit is flushed to disk)
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A running private PostgreSQL cluster (see {@link startPgCluster}). */
export interface PgCluster {
  /** Connection string of its `postgres` database, e.g. `postgres://postgres@127.0.0.1:41234/postgres`. */
  readonly url: string;
  /** The TCP port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** The temporary directory holding the data directory, the unix socket and the server log. */
  readonly dir: string;
  /** Stops the server at once (`pg_ctl stop -m immediate`) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The directory of the server binaries: `$PG_BIN`, else the newest `/usr/lib/postgresql/<n>/bin`
 * (Debian's layout), else empty (the binaries are looked up on `PATH`).
 */
function binDir(): string {
  const fromEnv = process.env['PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? '' : join(root, versions[0], 'bin');
}

/** A TCP port free at the time of asking (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL server for tests and benchmarks: `initdb` in a new temporary
 * directory (trust authentication, user `postgres`), a free port on 127.0.0.1, the unix socket in
 * the same directory. PostgreSQL refuses to run as root, so when this process is root (as CI is)
 * the binaries run as the `postgres` system user (`runuser -u postgres --`) and the directory is
 * handed to that user. The server is stopped and the directory removed by `stop()`, and also when
 * this process exits without calling it.
 *
 * @param options - See {@link PgClusterOptions}.
 * @returns The running cluster.
 * @throws When `initdb` or `pg_ctl` fail (their output is in the message).
 *
 * @example
 * ```ts
 * const cluster = await startPgCluster({ settings: { fsync: 'off' } });
 * const pool = new pg.Pool({ connectionString: cluster.url });
 * // …
 * await pool.end();
 * await cluster.stop();
 * ```
 */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = binDir();
  const tool = (name: string): string => (bin === '' ? name : join(bin, name));
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'));
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const command = (name: string, args: readonly string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', tool(name), ...args]] : [tool(name), [...args]];
  const data = join(dir, 'data');
  const stopArgs = ['stop', '-D', data, '-m', 'immediate', '-w'];
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(...command('pg_ctl', stopArgs), { stdio: 'ignore' });
    } catch {
      // Not running (never started, or already gone).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  const run = promisify(execFile);
  try {
    await run(...command('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']));
    const port = await freePort();
    const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dir, ...options.settings };
    const serverOptions = Object.entries(settings)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
    await run(...command('pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions]));
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        process.off('exit', stopSync);
        try {
          await run(...command('pg_ctl', stopArgs));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    stopSync();
    process.off('exit', stopSync);
    throw error;
  }
}
