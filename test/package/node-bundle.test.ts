import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sourceMain from '../../src/index.js';
import * as sourceTesting from '../../src/testing/index.js';

// Issue 24: Node is given one bundled ESM file per entry point (`dist/node/`), bundlers the
// one-file-per-module `dist/` (through the `module` condition). These tests read the built
// package: run `npm run build` first.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_DIST = join(ROOT, 'dist/node');

type Module = Record<string, unknown>;

/** Each export's name with what it is: `typeof`, and for a function or class its `name`. */
function shape(module: Module): Record<string, string> {
  return Object.fromEntries(
    Object.keys(module)
      .sort()
      .map((key) => {
        const value = module[key];
        return [key, typeof value === 'function' ? `function ${value.name}` : typeof value];
      }),
  );
}

/** Every file under `dir` whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(dir, file));
}

describe('the Node bundle (dist/node/)', () => {
  let main: Module;
  let testing: Module;

  beforeAll(async () => {
    for (const entry of ['index.js', 'testing/index.js']) {
      expect(existsSync(join(NODE_DIST, entry)), `dist/node/${entry} is missing (run \`npm run build\`)`).toBe(true);
    }
    main = (await import(pathToFileURL(join(NODE_DIST, 'index.js')).href)) as Module;
    testing = (await import(pathToFileURL(join(NODE_DIST, 'testing/index.js')).href)) as Module;
  });

  it('is what Node resolves the package and its ./testing entry to', () => {
    const printed = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "console.log(import.meta.resolve('market-data-pipeline')); console.log(import.meta.resolve('market-data-pipeline/testing'));",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(printed.trim().split('\n')).toEqual([
      pathToFileURL(join(NODE_DIST, 'index.js')).href,
      pathToFileURL(join(NODE_DIST, 'testing/index.js')).href,
    ]);
  });

  it('exports the same names as the sources, each of the same kind and function or class name', () => {
    expect(shape(main)).toEqual(shape(sourceMain as Module));
    expect(shape(testing)).toEqual(shape(sourceTesting as Module));
  });

  it('shares one copy of the modules both entries use (an error thrown through ./testing is the class exported by .)', () => {
    const ManualClock = testing['ManualClock'] as new (start: number) => unknown;
    const ConfigError = main['ConfigError'] as new (...args: never[]) => Error;
    expect(() => new ManualClock(Number.NaN)).toThrow(ConfigError);
  });

  it('has source maps whose every source is a file under src/', () => {
    const maps = filesUnder(NODE_DIST, '.js.map');
    expect(maps.length).toBeGreaterThanOrEqual(2);
    const outside = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      expect(sources.length).toBeGreaterThan(0);
      return sources
        .map((source) => resolve(dirname(map), source))
        .filter((path) => relative(join(ROOT, 'src'), path).startsWith('..') || !existsSync(path))
        .map((path) => `${relative(ROOT, map)}: ${relative(ROOT, path)}`);
    });
    expect(outside).toEqual([]);
  });
});
