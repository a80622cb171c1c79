/**
 * Cold start (issue 24): what a fresh process pays to import the package, and what a browser
 * bundle of it weighs. Agents and serverless functions start often, and each start pays the
 * import.
 *
 * Each case spawns a fresh `node -e …` in the package's root and is timed from outside, whole
 * process included, as the issue measured it: bare `node` (the floor), `import('zod')` (the
 * peer dependency alone) and `import('market-data-pipeline')`, which Node resolves through the
 * package's `exports` to the built `dist/node/index.js`. The one-file-per-module `dist/index.js`
 * (what bundlers are given) is imported beside it, so both shapes of `dist/` are compared in
 * the same run. 10 rounds; each round runs every case once, so machine load hits them alike.
 * Target: our import takes at most 1.5× the time of zod's. Each process also reports the CPU
 * time it used (user + system, read at exit); its medians are printed under the times, as a
 * figure that a busy machine disturbs less than wall time.
 *
 * Bundle sizes: esbuild bundles `market-data-pipeline` for the browser (zod external, minified)
 * as a user's bundler would, the whole package (both entry points) and an import of only
 * `aggregateOhlcv` and `atr`; the sizes are minified bytes and gzipped bytes (zlib's default
 * level, as `gzip` uses). Target: tree-shaking keeps working. The two-function bundle through
 * the package's entry point is at most 1 % larger than the same two functions bundled from
 * their own modules (`dist/aggregate/aggregate-ohlcv.js`, `dist/indicators/atr.js`), built in
 * the same run: whatever else the entry point re-exports must fall away. (A fixed byte ceiling
 * would also fail when the two functions themselves grow, which is not what it guards.) The
 * whole package grows with every feature, so its sizes are printed without a ceiling; a change
 * to the build is judged by building the same sources both ways (README, "Startup and bundle
 * size").
 *
 * Needs the built package: run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BenchCase, BenchFact, BenchGroup, Suite } from '../harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Processes started per case (the 10 runs). */
const RUNS = 10;

/** Appended to each process's code: at exit it writes the CPU time it used (user + system, ms) to stdout. */
const REPORT_CPU = ";process.on('exit',()=>{const u=process.cpuUsage();process.stdout.write(String((u.user+u.system)/1000))})";

/**
 * A case that starts `node -e <code>` in the package root and waits for it to exit, recording
 * the CPU time the process reports in `cpuMs`.
 */
function nodeProcess(name: string, role: BenchCase['role'], code: string, cpuMs: number[]): BenchCase {
  // Flags the bench itself runs with (tsx's loader, --expose-gc) must not reach the child.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return {
    name,
    role,
    fn: () => {
      const child = spawnSync(process.execPath, ['-e', code + REPORT_CPU], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      if (child.status !== 0) {
        throw new Error(`node -e "${code}" exited with ${child.status}: ${child.stderr.toString().trim().split('\n')[0] ?? ''}`);
      }
      cpuMs.push(Number(child.stdout.toString()));
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2 : (sorted[Math.floor(mid)] as number);
}

/** Bytes of the minified browser bundle of `source` (an ES module importing the package), and gzipped. */
async function bundleSize(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    external: ['zod'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code).byteLength };
}

const WHOLE = "export * from 'market-data-pipeline';\nexport * from 'market-data-pipeline/testing';\n";
const TWO_FUNCTIONS = "export { aggregateOhlcv, atr } from 'market-data-pipeline';\n";
/** The same two functions from their own modules: what a perfect tree-shaking of the entry point leaves. */
const TWO_MODULES =
  "export { aggregateOhlcv } from './dist/aggregate/aggregate-ohlcv.js';\nexport { atr } from './dist/indicators/atr.js';\n";
/** How much larger than {@link TWO_MODULES} the entry point's bundle may be (module order moves a few bytes of gzip). */
const TREE_SHAKING_SLACK = 1.01;

/** The two sizes of `size`; with `ceiling`, each must be at most the ceiling's. */
function sizeFacts(
  label: string,
  size: { minified: number; gzipped: number },
  ceiling?: { minified: number; gzipped: number; source: string },
): BenchFact[] {
  return (['minified', 'gzipped'] as const).map((kind) => ({
    name: `${label}, ${kind === 'minified' ? 'minified' : 'minified + gzip'}`,
    value: size[kind],
    unit: 'B',
    ...(ceiling === undefined ? {} : { max: ceiling[kind], maxSource: ceiling.source }),
  }));
}

const suite: Suite = async () => {
  for (const file of ['dist/node/index.js', 'dist/index.js']) {
    if (!existsSync(`${ROOT}${file}`)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  const ours = "import('market-data-pipeline')";
  const zod = "import('zod')";
  const processes = [
    { name: 'node -e 0', role: 'limit', code: '0' },
    { name: zod, role: 'peer', code: zod },
    { name: ours, role: 'ours', code: ours },
    { name: "import('./dist/index.js') (one file per module)", role: 'ours', code: "import('./dist/index.js')" },
  ] as const;
  // CPU ms per process, by case name; the first of each is the untimed call.
  const cpu = new Map<string, number[]>(processes.map((p) => [p.name, []]));
  const cpuMedian = (name: string): number => median(cpu.get(name)?.slice(1) ?? []);
  const startup: BenchGroup = {
    title: `startup: a fresh node process, ${RUNS} runs each`,
    rounds: RUNS,
    cases: processes.map((p) => nodeProcess(p.name, p.role, p.code, cpu.get(p.name) ?? [])),
    targets: [{ ours, than: zod, within: 1.5 }],
    facts: () =>
      processes.map((p): BenchFact => ({
        name: `CPU (user + system), ${p.name}`,
        value: Math.round(cpuMedian(p.name) * 10) / 10,
        unit: 'ms',
        note: `${(cpuMedian(p.name) / cpuMedian(zod)).toFixed(2)}x zod's`,
      })),
  };
  const direct = await bundleSize(TWO_MODULES);
  const sizes: BenchGroup = {
    title: 'browser bundle size (esbuild, minified, zod external)',
    cases: [],
    facts: [
      ...sizeFacts('whole package (both entry points)', await bundleSize(WHOLE)),
      ...sizeFacts('aggregateOhlcv and atr only, from their own modules', direct),
      ...sizeFacts('aggregateOhlcv and atr only', await bundleSize(TWO_FUNCTIONS), {
        minified: Math.floor(direct.minified * TREE_SHAKING_SLACK),
        gzipped: Math.floor(direct.gzipped * TREE_SHAKING_SLACK),
        source: 'their own modules + 1 %: tree-shaking',
      }),
    ],
  };
  return [startup, sizes];
};

export default suite;
