import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';

/** The folder of this example's migrations: `NNN_name.sql`, applied in the order of `NNN`. */
export const MIGRATIONS_DIR: string = fileURLToPath(new URL('./migrations/', import.meta.url));

/** One migration file. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d+)_(.+)\.sql$/.exec(file))
    .filter((match) => match !== null)
    .map((match) => ({ version: Number(match[1]), name: match[2] as string, sql: readFileSync(join(dir, match[0]), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/**
 * Brings a schema up to date: creates it when missing, then applies, in version order, every
 * migration file of `dir` whose version is not yet in the schema's `schema_migrations` table, and
 * records it there. Everything runs in one transaction under a transaction-scoped advisory lock
 * on the schema's name, so workers starting together apply each migration once, and a failing
 * migration leaves the schema as it was. The files' SQL names tables unqualified; it runs with
 * `search_path` set to the schema.
 *
 * An applied file is never read again: change the schema with a new file, never by editing one.
 *
 * @param pool - Where to run.
 * @param schema - The schema (an unquoted identifier, already validated by the caller).
 * @param dir - The migration files; {@link MIGRATIONS_DIR} by default.
 * @returns The versions applied by this call (empty when the schema was up to date).
 */
export async function applyMigrations(pool: Pool, schema: string, dir: string = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`market-data-pipeline:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
