import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOhlcv } from 'market-data-pipeline/testing';
import { runScenario, SCENARIO_GENERATE, SCENARIO_SYMBOLS } from './scenario.js';

// The browser proof (issue 9): the library, bundled for the browser, runs a pipeline in headless
// Chromium and computes exactly what it computes in Node. esbuild with `platform: 'browser'`
// refuses `node:` imports and Node built-ins, so a bundle that builds is the first half of the
// proof; the page run (with no `process`, `Buffer` or `require` defined) is the second.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;

/** The result of one esbuild run: its error messages (`file:line: text`), or its output. */
interface Bundle {
  readonly errors: readonly string[];
  readonly metafile?: Metafile;
  readonly code?: string;
}

/** Bundles for the browser as an ES module, in memory; errors are returned, not thrown. */
async function bundleForBrowser(options: BuildOptions): Promise<Bundle> {
  try {
    const result = await build({
      ...options,
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    return { errors: [], metafile: result.metafile, code: result.outputFiles[0]?.text ?? '' };
  } catch (error) {
    const failures = (error as { errors?: readonly { text: string; location: { file: string; line: number } | null }[] }).errors;
    if (failures === undefined) throw error;
    return { errors: failures.map((e) => (e.location === null ? e.text : `${e.location.file}:${e.location.line}: ${e.text}`)) };
  }
}

/** The inputs of a bundle that are Node built-ins, and the imports it left external. */
function nodeLeaks(metafile: Metafile): string[] {
  const inputs = Object.keys(metafile.inputs).filter((path) => path.startsWith('node:'));
  const external = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external === true).map((i) => i.path),
  );
  return [...inputs, ...external];
}

describe('browser bundle', () => {
  it.each([
    { what: 'the built package (dist/)', entries: ['dist/index.js', 'dist/testing/index.js'] },
    { what: "the built package's Node bundle (dist/node/)", entries: ['dist/node/index.js', 'dist/node/testing/index.js'] },
    { what: 'the sources (src/)', entries: ['src/index.ts', 'src/testing/index.ts'] },
  ])(
    'bundles $what for the browser with no Node built-in',
    async ({ entries }) => {
      for (const entry of entries) expect(existsSync(`${ROOT}${entry}`), `${entry} is missing (run \`npm run build\`)`).toBe(true);
      const bundle = await bundleForBrowser({ entryPoints: entries, outdir: 'browser-bundle' });
      expect(bundle.errors).toEqual([]);
      const metafile = bundle.metafile as Metafile;
      for (const entry of entries) expect(Object.keys(metafile.inputs)).toContain(entry);
      expect(nodeLeaks(metafile)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'keeps only what an import of aggregateOhlcv and atr uses (bundlers get one file per module, so unused ones are dropped)',
    async () => {
      // Issue 24: Node gets one bundled file per entry (dist/node/), in which a bundler could not
      // drop the zod schemas, simple-statistics or eventemitter3 (top-level code it cannot prove
      // pure); bundlers are sent to the one-file-per-module dist/ by the `module` condition.
      const bundle = await bundleForBrowser({
        stdin: {
          contents: "export { aggregateOhlcv, atr } from 'market-data-pipeline';\n",
          resolveDir: ROOT,
          sourcefile: 'two.js',
          loader: 'js',
        },
        external: ['zod'],
      });
      expect(bundle.errors).toEqual([]);
      // The files with code in the output (esbuild lists every file it read among the inputs).
      const kept = Object.values((bundle.metafile as Metafile).outputs).flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([path]) => path),
      );
      expect(kept).toEqual(expect.arrayContaining(['dist/aggregate/aggregate-ohlcv.js', 'dist/indicators/atr.js']));
      const unused = kept.filter((path) =>
        /^dist\/(node|pipeline|schemas\/config|quality|context)\/|simple-statistics|eventemitter3|date-fns\/tz/.test(path),
      );
      expect(unused).toEqual([]);
      // Neither function uses a zod schema: none is built, so zod is not even imported.
      const imports = Object.values((bundle.metafile as Metafile).outputs).flatMap((output) => output.imports.map((i) => i.path));
      expect(imports).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it('fails to bundle code that imports a Node built-in (so a clean bundle means something)', async () => {
    const bundle = await bundleForBrowser({
      stdin: {
        contents: "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
        resolveDir: ROOT,
        sourcefile: 'leak.ts',
        loader: 'ts',
      },
    });
    expect(bundle.errors).toEqual(['leak.ts:1: Could not resolve "node:fs"']);
  });
});

/** What the page exposes once its module has loaded. */
interface PageHooks {
  runScenario: typeof runScenario;
}

/** Bars in a UTC day per series: 1440 1m bars, and 1440 / (minutes per bar) of each other. */
const DAY_OF_BARS = Object.fromEntries(
  SCENARIO_SYMBOLS.flatMap((symbol) =>
    Object.entries({ '1m': 1440, '5m': 288, '15m': 96, '1H': 24, '4H': 6, '1D': 1 }).map(([tf, n]) => [`${symbol} ${tf}`, n]),
  ),
);

/** The specification's state documents: two global ones, two per symbol. */
const DOCUMENTS = [
  'data_status',
  'latest_ohlcv BTCUSD',
  'latest_ohlcv ETHUSD',
  'market_context BTCUSD',
  'market_context ETHUSD',
  'quality_report',
];

/**
 * Where two JSON values differ, as `path: a vs b`: structure, strings, booleans, nulls and
 * integers (counts, timestamps) exactly; other numbers by more than a relative 1e-12.
 */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) || Number.isInteger(b)) return a === b ? [] : [`${path}: ${a} vs ${b}`];
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) ? [] : [`${path}: ${a} vs ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return [`${path}: keys ${ka.join()} vs ${kb.join()}`];
    return ka.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>market-data-pipeline in the browser</title>
<link rel="icon" href="data:,">
<script type="module">
  import('./scenario.js').then(
    (module) => { globalThis.runScenario = module.runScenario; },
    (error) => { globalThis.loadError = String(error); },
  );
</script>
`;

const chromiumMissing = !existsSync(CHROMIUM);
const describeChromium = chromiumMissing ? describe.skip : describe;

describeChromium(
  chromiumMissing
    ? `Pipeline in headless Chromium (skipped: ${CHROMIUM} not installed; apt-get install -y chromium)`
    : 'Pipeline in headless Chromium',
  () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let bundle: Bundle;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      // The scenario imports `market-data-pipeline` and `market-data-pipeline/testing`, which
      // resolve (through the package's own `exports`) to the built `dist/`.
      bundle = await bundleForBrowser({ entryPoints: ['test/browser/scenario.ts'] });
      const code = bundle.code ?? '';
      server = createServer((request, response) => {
        if (request.url === '/') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
        } else if (request.url === '/scenario.js') {
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
        } else {
          response.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      if (bundle.errors.length > 0) return;
      await page.goto(`http://127.0.0.1:${port}/`);
      // A bundle that touches a Node global throws while loading: the page records why.
      await page.waitForFunction(() => 'runScenario' in globalThis || 'loadError' in globalThis, undefined, { timeout: 30_000 });
      const loadError = await page.evaluate(() => (globalThis as { loadError?: string }).loadError);
      if (loadError !== undefined) pageErrors.push(loadError);
    }, TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    }, TIMEOUT_MS);

    it('bundles the scenario with the built package and no Node built-in, and loads it in the page', () => {
      expect(bundle.errors).toEqual([]);
      expect(pageErrors).toEqual([]);
      const inputs = Object.keys((bundle.metafile as Metafile).inputs);
      expect(inputs).toEqual(expect.arrayContaining(['dist/index.js', 'dist/testing/index.js']));
      expect(nodeLeaks(bundle.metafile as Metafile)).toEqual([]);
    });

    it(
      'runs a seeded day of 1m bars through the pipeline in Chromium and agrees with Node',
      async () => {
        const inBrowser = await page.evaluate(() => (globalThis as unknown as PageHooks).runScenario());
        const inNode = await runScenario();
        expect(pageErrors).toEqual([]);
        // Known answers, worked by hand: a UTC day holds 1440 1m bars, 1440/5 = 288 5m bars,
        // 96 15m, 24 1H, 6 4H and one 1D bar; the specification's state documents are
        // data_status and quality_report, plus latest_ohlcv and market_context per symbol.
        expect(inBrowser.bars).toEqual(DAY_OF_BARS);
        expect(inBrowser.fiveMinuteBars).toBe(288);
        expect(inBrowser.documents).toEqual(DOCUMENTS);
        // The generator draws from Math.exp, Math.log and Math.cos, which ECMAScript leaves
        // implementation-approximated: Chromium's V8 and Node's differ in the last bit or two
        // (a relative 1e-15 was the largest difference seen). Everything else must match.
        expect(differences(inBrowser, inNode)).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      'computes bit-identical bars and documents from the same input bars',
      async () => {
        // The input made once, in Node, so no engine's Math functions come into it.
        const input = Object.fromEntries(
          SCENARIO_SYMBOLS.map((symbol, i) => [symbol, generateOhlcv({ ...SCENARIO_GENERATE, seed: SCENARIO_GENERATE.seed + i }).bars]),
        );
        const inBrowser = await page.evaluate((bars) => (globalThis as unknown as PageHooks).runScenario(bars), input);
        const inNode = await runScenario(input);
        expect(pageErrors).toEqual([]);
        expect(inBrowser.bars).toEqual(DAY_OF_BARS);
        expect(inBrowser).toEqual(inNode);
      },
      TIMEOUT_MS,
    );

    it('has no Node globals in the page (so the run above relied on none)', async () => {
      const globals = await page.evaluate(() => {
        const g = globalThis as Record<string, unknown>;
        return { process: typeof g['process'], Buffer: typeof g['Buffer'], require: typeof g['require'] };
      });
      expect(globals).toEqual({ process: 'undefined', Buffer: 'undefined', require: 'undefined' });
    });
  },
);
