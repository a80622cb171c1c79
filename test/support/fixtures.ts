/**
 * Access to the third-party fixtures in `../shared/fixtures` (never copied into this
 * repository: their licences differ). Tests that need them use `describeFixtures`, which
 * skips with a visible reason when the folder is absent; CI always has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** Absolute path of `../shared/fixtures` beside the checkout. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Whether the shared fixtures are present. */
export const hasFixtures = existsSync(FIXTURES_DIR);

/** Absolute path of a fixture, e.g. `fixturePath('real/freqtrade/XRP_ETH-1m.json')`. */
export function fixturePath(relative: string): string {
  return FIXTURES_DIR + relative;
}

/** A fixture's text; `.gz` files are gunzipped. */
export function readFixture(relative: string): string {
  const bytes = readFileSync(fixturePath(relative));
  return (relative.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** A fixture parsed as JSON. */
export function readFixtureJson(relative: string): unknown {
  return JSON.parse(readFixture(relative)) as unknown;
}

/** `describe` when the fixtures exist, otherwise a skipped block whose title says why. */
export function describeFixtures(name: string, body: () => void): void {
  if (hasFixtures) describe(name, body);
  else describe.skip(`${name} (skipped: ../shared/fixtures not found beside the checkout)`, body);
}
