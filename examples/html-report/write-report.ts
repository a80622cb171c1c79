import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs-state-sink/write-file-atomic.js';
import { renderReport } from './render-report.js';
import type { ReportInput } from './report-input.js';

/**
 * Reads the standalone production build of `lightweight-charts` (the installed devDependency) from
 * `node_modules`, for {@link renderReport}'s `chartScript`.
 *
 * @returns The script's text (about 200 kB).
 */
export async function readChartScript(): Promise<string> {
  const manifest = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
  return readFile(join(dirname(manifest), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
}

/**
 * Renders a run with {@link renderReport} and writes the page to `path` (atomically, creating
 * missing directories), with the chart library read by {@link readChartScript}.
 *
 * @param path - The HTML file to write, e.g. `state/report.html`.
 * @param input - What the run delivered.
 * @returns A promise that resolves once the file is in place.
 *
 * @example
 * ```ts
 * await writeReport('state/report.html', recorder.input('demo'));
 * // state/report.html opens in a browser with no network
 * ```
 */
export async function writeReport(path: string, input: ReportInput): Promise<void> {
  const chartScript = await readChartScript();
  await writeFileAtomic(path, renderReport(input, { chartScript }), { fsync: false });
}
