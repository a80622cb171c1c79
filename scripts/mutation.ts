/**
 * `npm run mutation [-- <module>...]`: Stryker mutation testing of the pure modules (issue 25),
 * one Stryker run per module so that each mutant of `src/<module>/` is tested only by the tests
 * of that module (`test/<module>/`, plus the contract tests that drive it), never by the whole
 * suite. With no argument every module of {@link MODULES} runs, smallest first; with names, only
 * those (`npm run mutation -- validate time`).
 *
 * Each run is incremental: its results are kept in `reports/mutation/<module>/incremental.json`
 * (ignored by git: a local cache, rewritten by every run), so a second run tests again only the
 * mutants whose source or covering tests changed. The JSON report of each run
 * (`reports/mutation/<module>/mutation.json`) is read back at the end to print, bench-style,
 * one row per module: mutants, killed (timeouts count as killed), survived, not covered,
 * invalid (compile or runtime errors, left out of the score) and the score,
 * detected / (detected + survived + not covered). Surviving mutants are listed below the table.
 *
 * `MUTATION_CONCURRENCY` sets Stryker's worker count (default 2: the machine is shared).
 * `MUTATION_FORCE=1` tests every mutant again, ignoring the incremental file (needed after a
 * test was edited in place: Stryker's incremental diff keeps the old verdicts of its mutants).
 * A mutant times out 3 s past its tests' expected time (`timeoutMS`; Stryker's default is 5 s):
 * the tests of a module take tens of milliseconds, and each timeout costs that wait plus a new
 * test-runner process.
 * Not part of `.ci/run`: a full run takes tens of minutes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

/** The modules under mutation testing, smallest first, with the tests that exercise each. */
const MODULES: Readonly<Record<string, readonly string[]>> = {
  retention: ['test/retention/**/*.test.ts'],
  gaps: ['test/gaps/**/*.test.ts'],
  time: ['test/time/**/*.test.ts'],
  validate: ['test/validate/**/*.test.ts'],
  indicators: ['test/indicators/**/*.test.ts', 'test/contracts/atr-calculator.test.ts'],
  preprocess: ['test/preprocess/**/*.test.ts'],
  context: ['test/context/**/*.test.ts'],
  failover: ['test/failover/**/*.test.ts'],
  aggregate: ['test/aggregate/**/*.test.ts', 'test/contracts/streaming-aggregation.test.ts'],
  quality: ['test/quality/**/*.test.ts'],
};

/** Mutant statuses of the mutation-testing-report JSON schema that the table counts. */
type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

interface ReportMutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: MutantStatus;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

interface ModuleScore {
  readonly module: string;
  readonly mutants: number;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly invalid: number;
  /** Percent, or undefined when no mutant was valid. */
  readonly score: number | undefined;
  readonly survivors: readonly string[];
}

const reportDir = (module: string): string => `reports/mutation/${module}`;

/** The checker's tsconfig, written for each module at the root (so Stryker copies it into its sandbox); ignored by git. */
const CHECKER_TSCONFIG = 'tsconfig.mutation.json';

/**
 * The TypeScript checker's project: `src/<module>/` and what it imports, not all of `src/`.
 * A mutant of `src/<module>/` changes a function body, never an exported type (they are all
 * declared), so the files that import the module cannot gain an error the module's own files
 * do not show; checking fewer files makes each mutant group cheaper.
 */
function writeCheckerTsconfig(module: string): void {
  const config = { extends: './tsconfig.json', include: [`src/${module}`] };
  writeFileSync(CHECKER_TSCONFIG, `${JSON.stringify(config, null, 2)}\n`);
}

function strykerConfig(module: string): Record<string, unknown> {
  const dir = reportDir(module);
  return {
    $schema: '../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'vitest',
    vitest: { configFile: 'scripts/mutation-vitest.config.ts', related: true },
    checkers: ['typescript'],
    tsconfigFile: CHECKER_TSCONFIG,
    mutate: [`src/${module}/**/*.ts`, `!src/${module}/**/index.ts`],
    // Anchored at the root (`/reports`, not `reports`: `src/reports/` is code). The kernel's
    // property test takes its walks from `bench/data-shapes.ts`, the one file of `bench/` kept.
    ignorePatterns: [
      '/dist',
      '/docs',
      '/examples',
      '/bench/*',
      '!/bench/data-shapes.ts',
      '/reports',
      '/.stryker-tmp',
      '/.bench-out',
      '/state',
      '/data',
      '/coverage',
    ],
    disableTypeChecks: 'src/**/*.ts',
    coverageAnalysis: 'perTest',
    ignoreStatic: true,
    incremental: true,
    // Stryker's incremental diff keeps the verdict of a mutant whose covering test was edited in
    // place (same name): after editing a test, rerun with MUTATION_FORCE=1.
    force: process.env['MUTATION_FORCE'] === '1',
    incrementalFile: `${dir}/incremental.json`,
    concurrency: Number(process.env['MUTATION_CONCURRENCY'] ?? '2'),
    timeoutMS: 3_000,
    reporters: ['json', 'clear-text', 'progress'],
    jsonReporter: { fileName: `${dir}/mutation.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    tempDirName: `.stryker-tmp/${module}`,
    thresholds: { high: 90, low: 85, break: null },
  };
}

/** Stryker's class, as `@stryker-mutator/core`'s `index.js` exports it; see {@link loadStryker}. */
type StrykerClass = new (options: Readonly<Record<string, unknown>>) => { runMutationTest(): Promise<readonly unknown[]> };

/**
 * Stryker 10 declares Node ≥ 22 and its CLI (`stryker run`) refuses to start on an older Node;
 * this project supports Node 20.19 (`engines`), where the rest of Stryker runs as it is (checked
 * on Node 20.20). So the class is loaded from the module next to the package's entry point
 * (`dist/src/stryker.js`; the entry point itself loads the CLI, and with it the version check).
 */
async function loadStryker(): Promise<StrykerClass> {
  const entry = import.meta.resolve('@stryker-mutator/core');
  const module = (await import(new URL('./stryker.js', entry).href)) as { Stryker: StrykerClass };
  return module.Stryker;
}

async function runModule(Stryker: StrykerClass, module: string): Promise<void> {
  const dir = reportDir(module);
  mkdirSync(dir, { recursive: true });
  const configFile = `${dir}/stryker.config.json`;
  writeFileSync(configFile, `${JSON.stringify(strykerConfig(module), null, 2)}\n`);
  writeCheckerTsconfig(module);
  console.log(`\n=== ${module}: Stryker with ${configFile}`);
  // Stryker's test-runner processes inherit the environment: the vitest config reads this.
  process.env['MUTATION_TESTS'] = (MODULES[module] ?? []).join(',');
  try {
    await new Stryker({ configFile }).runMutationTest();
  } catch (error) {
    process.exitCode = 1;
    console.error(`${module}: Stryker failed:`, error);
  }
}

function scoreOf(module: string): ModuleScore | undefined {
  const file = `${reportDir(module)}/mutation.json`;
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const counts: Record<MutantStatus, number> = {
    Killed: 0,
    Survived: 0,
    NoCoverage: 0,
    Timeout: 0,
    CompileError: 0,
    RuntimeError: 0,
    Ignored: 0,
    Pending: 0,
  };
  const survivors: string[] = [];
  for (const [path, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      counts[mutant.status] += 1;
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        const where = `${path}:${String(mutant.location.start.line)}:${String(mutant.location.start.column)}`;
        survivors.push(`${where} ${mutant.status} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? '')}`);
      }
    }
  }
  const killed = counts.Killed + counts.Timeout;
  const valid = killed + counts.Survived + counts.NoCoverage;
  return {
    module,
    mutants: valid + counts.CompileError + counts.RuntimeError,
    killed,
    survived: counts.Survived,
    noCoverage: counts.NoCoverage,
    invalid: counts.CompileError + counts.RuntimeError,
    score: valid === 0 ? undefined : (100 * killed) / valid,
    survivors,
  };
}

function printTable(scores: readonly ModuleScore[]): void {
  const header = ['module', 'mutants', 'killed', 'survived', 'no cover', 'invalid', 'score'];
  const rows = scores.map((s) => [
    s.module,
    String(s.mutants),
    String(s.killed),
    String(s.survived),
    String(s.noCoverage),
    String(s.invalid),
    s.score === undefined ? '—' : `${s.score.toFixed(2)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
  for (const s of scores) {
    if (s.survivors.length === 0) continue;
    console.log(`\n${s.module}: ${String(s.survivors.length)} surviving mutants`);
    for (const survivor of s.survivors) console.log(`  ${survivor}`);
  }
}

const requested = process.argv.slice(2);
const unknown = requested.filter((m) => !(m in MODULES));
if (unknown.length > 0) {
  console.error(`unknown module(s): ${unknown.join(', ')}; choose from ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
const modules = requested.length > 0 ? Object.keys(MODULES).filter((m) => requested.includes(m)) : Object.keys(MODULES);
const reportOnly = process.env['MUTATION_REPORT_ONLY'] === '1';
if (!reportOnly) {
  const Stryker = await loadStryker();
  for (const module of modules) await runModule(Stryker, module);
}
printTable(modules.map(scoreOf).filter((s): s is ModuleScore => s !== undefined));
