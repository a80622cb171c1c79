/**
 * `npm run bench [-- <filter>] [-- --strict]`: generates 1,000,000 seeded 1m bars once, loads
 * every suite in `bench/suites/` (each default-exports a `Suite`), times the cases of each
 * group in this one process and prints, per case, the median time and its ratio to the
 * group's reference (the `limit` case, else the first `peer`, else the first case), then each
 * target as PASS or FAIL. Results are also written to `.bench-out/latest.json`.
 *
 * Cases of a group run round-robin (one call of each per round, or a batch for cases under
 * 5 ms), so a change in machine load hits them alike; ratios and targets use the median of
 * the per-round ratios. A filter runs only the suites (file names) or groups (titles) that
 * contain it, ignoring case. `--strict` exits with status 1 when a target fails. `npm run
 * bench` runs node with `--expose-gc` (garbage is collected before every timed call) and
 * `--no-concurrent-sweeping` (that collection finishes before the clock starts: with the 1M
 * row objects alive, V8 otherwise sweeps on a second thread during the timed call, which on
 * a 2-core machine slowed every case 3–10× at random).
 *
 * A group may instead ask for a fixed number of `rounds` (the startup suite: each call starts a
 * fresh `node`, so it is timed once per round after one untimed call, with no batching), and
 * may carry `facts`, quantities measured once (bundle sizes, or what its cases recorded) with
 * an optional ceiling that counts as a target.
 *
 * Every case row and target line names the data it ran on (`data`: the shared generated bars,
 * or the shape a group sets). A group with `cold` also reports each case's first call in a
 * fresh process (`cold ms`): this script is started again per case with `MDP_BENCH_COLD` set,
 * builds the data and that suite's groups without warming anything up, and times one call.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { do_not_optimize } from 'mitata';
import { toRows } from '../src/index.js';
import { generateOhlcvColumns } from '../src/testing/index.js';
import type { BenchCase, BenchData, BenchFact, BenchGroup, BenchTarget, Suite } from './harness.js';

const BARS = 1_000_000;
const SEED = 42;
/** A group keeps sampling until it has its minimum rounds and this much time has passed. */
const GROUP_BUDGET_MS = 3000;
const MAX_ROUNDS = 60;
/** Untimed calls of each case before sampling, at most this many… */
const WARM_UP_CALLS = 20;
/** …and no more once this much time (ms) has gone into them. */
const WARM_UP_MS = 400;

interface CaseResult {
  readonly name: string;
  readonly role: BenchCase['role'];
  /** Median time of one call, ms. */
  readonly medianMs?: number;
  readonly p25Ms?: number;
  readonly p75Ms?: number;
  /** Rounds sampled. */
  readonly samples?: number;
  /** Median over rounds of (this case's time / the reference's time). */
  readonly ratio?: number;
  /** One call in a fresh process (groups with `cold`), ms; `undefined` when not measured. */
  readonly coldMs?: number;
  readonly error?: string;
}

interface TargetResult {
  readonly target: BenchTarget;
  readonly pass: boolean | undefined;
  readonly text: string;
}

interface FactResult {
  readonly fact: BenchFact;
  readonly pass: boolean | undefined;
  readonly text: string;
}

interface GroupResult {
  readonly suite: string;
  readonly title: string;
  /** The data the cases ran on. */
  readonly shape: string;
  readonly reference: string | undefined;
  readonly cases: readonly CaseResult[];
  readonly targets: readonly TargetResult[];
  readonly facts: readonly FactResult[];
}

interface Live {
  readonly c: BenchCase;
  readonly run: () => Promise<void>;
  readonly batch: number;
  readonly samples: number[];
}

function fmtMs(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Untimed warm-up: checks the case runs, then calls it until the JIT has settled (up to
 * {@link WARM_UP_CALLS} calls or {@link WARM_UP_MS}), and sizes its batch from the last,
 * warm call. A function called once per 1M-bar run would otherwise be timed in interpreter
 * and on-stack-replacement code in its first rounds; every case, ours, peers and plain loops
 * alike, is warmed the same way. With `warm` false only the checking call is made, and the
 * batch is one call.
 */
async function prepare(c: BenchCase, warm: boolean): Promise<Live> {
  const first = c.fn();
  const isAsync = first instanceof Promise;
  do_not_optimize(isAsync ? await first : first);
  const run = isAsync
    ? async (): Promise<void> => do_not_optimize(await c.fn())
    : (): Promise<void> => {
        do_not_optimize(c.fn());
        return Promise.resolve();
      };
  if (!warm) return { c, run, batch: 1, samples: [] };
  const started = performance.now();
  let last = 0;
  for (let calls = 1; calls < WARM_UP_CALLS && performance.now() - started < WARM_UP_MS; calls++) {
    const t0 = performance.now();
    await run();
    last = performance.now() - t0;
  }
  return { c, run, batch: Math.max(1, Math.ceil(5 / Math.max(last, 0.001))), samples: [] };
}

/**
 * Samples a group round-robin; groups whose timed calls are slow get fewer rounds (at least
 * 3), fast ones at least 15. With `fixedRounds`, exactly that many.
 */
async function sample(live: readonly Live[], fixedRounds: number | undefined): Promise<void> {
  if (live.length === 0) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  const started = performance.now();
  let fastestRound = Number.POSITIVE_INFINITY;
  for (let rounds = 1; ; rounds++) {
    // A group is slow when even its fastest round is: the round's timed calls only (the forced
    // collection before each case is left out: with the 1M row objects alive it takes about
    // 0.3 s under load), and not its slowest round (one stalled round of a 4 ms case left it
    // 5 rounds, whose median two noisy rounds could move).
    let timed = 0;
    for (const l of live) {
      gc?.();
      const t0 = performance.now();
      for (let k = 0; k < l.batch; k++) await l.run();
      const elapsed = performance.now() - t0;
      timed += elapsed;
      l.samples.push(elapsed / l.batch);
    }
    fastestRound = Math.min(fastestRound, timed);
    if (fixedRounds !== undefined) {
      if (rounds >= fixedRounds) return;
      continue;
    }
    const minRounds = fastestRound > 5000 ? 3 : fastestRound > 1000 ? 5 : fastestRound > 100 ? 9 : 15;
    if (rounds >= MAX_ROUNDS || (rounds >= minRounds && performance.now() - started >= GROUP_BUDGET_MS)) return;
  }
}

function perRoundRatio(a: Live | undefined, b: Live | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return quantile(
    a.samples.map((x, i) => x / (b.samples[i] as number)),
    0.5,
  );
}

function checkAbsolute(target: BenchTarget & { maxMs: number }, live: readonly Live[]): TargetResult {
  const ours = live.find((l) => l.c.name === target.ours);
  if (ours === undefined) return { target, pass: undefined, text: `SKIP  ${target.ours}: the case is missing or failed` };
  const median = quantile(ours.samples, 0.5);
  const pass = median <= target.maxMs;
  const per =
    target.per === undefined
      ? ''
      : ` = ${fmtMs((median * 1000) / target.per.count)} µs per ${target.per.unit} (needs < ${fmtMs((target.maxMs * 1000) / target.per.count)} µs)`;
  return {
    target,
    pass,
    text: `${pass ? 'PASS' : 'FAIL'}  ${target.ours}: needs <= ${fmtMs(target.maxMs)} ms, median ${fmtMs(median)} ms${per}`,
  };
}

function checkTarget(target: BenchTarget, live: readonly Live[], shape: string): TargetResult {
  const { maxMs } = target;
  if ((target.than === undefined) === (maxMs === undefined)) {
    return { target, pass: undefined, text: `SKIP  ${target.ours}: a target needs either \`than\` or \`maxMs\`` };
  }
  if (maxMs !== undefined) return checkAbsolute({ ...target, maxMs }, live);
  const ours = live.find((l) => l.c.name === target.ours);
  const than = live.find((l) => l.c.name === target.than);
  const ratio = perRoundRatio(ours, than);
  if (ours === undefined || than === undefined || ratio === undefined) {
    return { target, pass: undefined, text: `SKIP  ${target.ours} vs ${target.than}: a case is missing or failed` };
  }
  const o = fmtMs(quantile(ours.samples, 0.5));
  const t = fmtMs(quantile(than.samples, 0.5));
  const parts: string[] = [];
  let pass = true;
  if (target.factor !== undefined) {
    pass &&= ratio <= 1 / target.factor;
    parts.push(`needs >= ${target.factor}x faster, is ${(1 / ratio).toFixed(2)}x (${o} ms vs ${t} ms)`);
  }
  if (target.within !== undefined) {
    pass &&= ratio <= target.within;
    parts.push(`needs <= ${target.within}x its time, is ${ratio.toFixed(2)}x (${o} ms vs ${t} ms)`);
  }
  return { target, pass, text: `${pass ? 'PASS' : 'FAIL'}  ${target.ours} vs ${target.than}: ${parts.join('; ')} [data: ${shape}]` };
}

function checkFact(fact: BenchFact): FactResult {
  const measured = `${fact.name}: ${fact.value.toLocaleString('en-US')} ${fact.unit}${fact.note === undefined ? '' : ` (${fact.note})`}`;
  if (fact.max === undefined) return { fact, pass: undefined, text: `      ${measured}` };
  const pass = fact.value <= fact.max;
  const source = fact.maxSource === undefined ? '' : ` (${fact.maxSource})`;
  return { fact, pass, text: `${pass ? 'PASS' : 'FAIL'}  ${measured}, needs <= ${fact.max.toLocaleString('en-US')}${source}` };
}

/** Set in a child process started by {@link coldCall}: which case to time once. */
const COLD_ENV = 'MDP_BENCH_COLD';

/** What a child process started by {@link coldCall} times. */
interface ColdRequest {
  readonly suite: string;
  readonly group: string;
  readonly case: string;
}

/**
 * Starts a fresh `node` (with this process's flags: tsx, `--expose-gc`) that builds the data
 * and the suite's groups untimed and unwarmed, collects garbage and times one call of the case
 * (see {@link timeColdCall}); returns that time in ms, or the child's error.
 */
function coldCall(request: ColdRequest): number | string {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [COLD_ENV]: JSON.stringify(request) },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  const ms = Number(last);
  if (child.status !== 0 || !Number.isFinite(ms))
    return `cold call failed: ${child.stderr.trim().split('\n').pop() ?? `status ${child.status}`}`;
  return ms;
}

async function runGroup(suite: string, group: BenchGroup, data: BenchData): Promise<GroupResult> {
  const live: Live[] = [];
  const failed = new Map<string, string>();
  for (const c of group.cases) {
    try {
      live.push(await prepare(c, group.rounds === undefined));
    } catch (error) {
      failed.set(c.name, message(error));
    }
  }
  await sample(live, group.rounds);
  const cold = new Map<string, number | string>();
  if (group.cold === true) {
    for (const l of live) if (l.c.role !== 'limit') cold.set(l.c.name, coldCall({ suite, group: group.title, case: l.c.name }));
  }
  const referenceCase = group.cases.find((c) => c.role === 'limit') ?? group.cases.find((c) => c.role === 'peer') ?? group.cases[0];
  const ref = live.find((l) => l.c === referenceCase);
  const cases = group.cases.map((c): CaseResult => {
    const error = failed.get(c.name);
    const l = live.find((x) => x.c === c);
    if (error !== undefined || l === undefined) return { name: c.name, role: c.role, error: error ?? 'not run' };
    const ratio = perRoundRatio(l, ref);
    const coldMs = cold.get(c.name);
    if (typeof coldMs === 'string') console.log(`  ${c.name}: ${coldMs}`);
    return {
      name: c.name,
      role: c.role,
      medianMs: quantile(l.samples, 0.5),
      p25Ms: quantile(l.samples, 0.25),
      p75Ms: quantile(l.samples, 0.75),
      samples: l.samples.length,
      ...(ratio === undefined ? {} : { ratio }),
      ...(typeof coldMs === 'number' ? { coldMs } : {}),
    };
  });
  return {
    suite,
    title: group.title,
    shape: group.shape ?? data.shape,
    reference: referenceCase?.name,
    cases,
    targets: (group.targets ?? []).map((t) => checkTarget(t, live, group.shape ?? data.shape)),
    facts: (typeof group.facts === 'function' ? group.facts() : (group.facts ?? [])).map(checkFact),
  };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printGroup(g: GroupResult): void {
  const w = Math.max(30, ...g.cases.map((c) => c.name.length));
  if (g.cases.length === 0) {
    console.log(`\n## ${g.title}  [${g.suite}]`);
    for (const f of g.facts) console.log(`  ${f.text}`);
    return;
  }
  const cold = g.cases.some((c) => c.coldMs !== undefined);
  console.log(`\n## ${g.title}  [${g.suite}]  (ratio: time / time of "${g.reference ?? '—'}")`);
  console.log(
    `${pad('case', w)}  ${pad('role', 5)}  ${pad('median ms', 10, true)}  ${pad('p25–p75 ms', 17, true)}  ${pad('n', 3, true)}  ${pad('ratio', 8, true)}` +
      `${cold ? `  ${pad('cold ms', 9, true)}` : ''}  data`,
  );
  console.log('-'.repeat(w + 58 + (cold ? 11 : 0) + g.shape.length));
  for (const c of g.cases) {
    if (c.error !== undefined) {
      console.log(`${pad(c.name, w)}  ${pad(c.role, 5)}  ERROR: ${c.error}`);
      continue;
    }
    const ratio = c.ratio === undefined ? '—' : `${c.ratio.toFixed(2)}x`;
    const spread = `${fmtMs(c.p25Ms)}–${fmtMs(c.p75Ms)}`;
    console.log(
      `${pad(c.name, w)}  ${pad(c.role, 5)}  ${pad(fmtMs(c.medianMs), 10, true)}  ${pad(spread, 17, true)}  ${pad(String(c.samples ?? ''), 3, true)}  ${pad(ratio, 8, true)}` +
        `${cold ? `  ${pad(fmtMs(c.coldMs), 9, true)}` : ''}  ${g.shape}`,
    );
  }
  for (const t of g.targets) console.log(`  ${t.text}`);
  for (const f of g.facts) console.log(`  ${f.text}`);
}

async function loadSuites(): Promise<{ name: string; suite: Suite }[]> {
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(fileURLToPath(dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort();
  const suites: { name: string; suite: Suite }[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(fileURLToPath(new URL(file, dir))).href)) as { default?: unknown };
    if (typeof mod.default !== 'function') {
      console.warn(`bench: ${file} has no default-exported Suite; skipped`);
      continue;
    }
    suites.push({ name: file.replace(/\.ts$/, ''), suite: mod.default as Suite });
  }
  return suites;
}

/** The shared bars, as columns and rows. */
function sharedData(cold: boolean): BenchData {
  const { columns } = generateOhlcvColumns({ seed: SEED, count: BARS, timeframe: '1m' });
  return { columns, rows: toRows(columns), shape: `generated 1m (seed ${SEED})`, cold };
}

/**
 * The child process of {@link coldCall}: builds the data and the suite's groups with nothing
 * warmed up, collects garbage and prints the time of one call of the case in ms (last line).
 */
async function timeColdCall(request: ColdRequest): Promise<void> {
  const data = sharedData(true);
  const entry = (await loadSuites()).find((s) => s.name === request.suite);
  const groups = entry === undefined ? [] : await entry.suite(data);
  const found = groups.find((g) => g.title === request.group)?.cases.find((c) => c.name === request.case);
  if (found === undefined) throw new Error(`no case "${request.case}" in "${request.group}" [${request.suite}]`);
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  do_not_optimize(await found.fn());
  console.log(String(performance.now() - t0));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const strict = argv.includes('--strict');
  const filter = argv.find((a) => !a.startsWith('--'))?.toLowerCase();
  const started = new Date();
  const gcOn = (globalThis as { gc?: unknown }).gc !== undefined;
  console.log(`# market-data-pipeline benchmarks — ${started.toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}${gcOn ? ', gc before each call' : ''}`,
  );
  const t0 = performance.now();
  const data = sharedData(false);
  console.log(
    `data: ${BARS.toLocaleString('en-US')} seeded 1m bars (generateOhlcvColumns, seed ${SEED}) as columns and rows, ` +
      `built in ${(performance.now() - t0).toFixed(0)} ms${filter === undefined ? '' : `; filter "${filter}"`}`,
  );

  const results: GroupResult[] = [];
  for (const { name, suite } of await loadSuites()) {
    const suiteMatches = filter === undefined || name.toLowerCase().includes(filter);
    let groups: readonly BenchGroup[];
    try {
      groups = await suite(data);
    } catch (error) {
      console.log(`\n## [${name}] the suite failed to build its groups: ${message(error)}`);
      continue;
    }
    for (const group of groups) {
      if (!suiteMatches && !group.title.toLowerCase().includes(filter ?? '')) continue;
      const result = await runGroup(name, group, data);
      printGroup(result);
      results.push(result);
    }
  }

  const targets = results.flatMap((g): readonly { readonly pass: boolean | undefined }[] => [
    ...g.targets,
    ...g.facts.filter((f) => f.fact.max !== undefined),
  ]);
  const failed = targets.filter((t) => t.pass === false).length;
  const passed = targets.filter((t) => t.pass === true).length;
  console.log(`\n${results.length} groups; targets: ${passed} passed, ${failed} failed, ${targets.length - passed - failed} skipped`);

  const outDir = fileURLToPath(new URL('../.bench-out/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const report = { started: started.toISOString(), node: process.version, loadavg: loadavg(), bars: BARS, seed: SEED, filter, results };
  writeFileSync(`${outDir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log('results: .bench-out/latest.json');
  if (strict && failed > 0) process.exitCode = 1;
}

const coldRequest = process.env[COLD_ENV];
await (coldRequest === undefined ? main() : timeColdCall(JSON.parse(coldRequest) as ColdRequest));
