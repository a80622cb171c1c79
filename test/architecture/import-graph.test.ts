import { describe, expect, it } from 'vitest';
import {
  buildImportGraph,
  findCycles,
  foreignInternalImports,
  importSpecifiers,
  lineCount,
  moduleOf,
  oversizedFiles,
  resolveSpecifier,
  singleModuleInternals,
  statesOneFileReason,
} from './import-graph.js';

/** A synthetic `src/` tree: path → text. */
const tree = (files: Record<string, string>): Map<string, string> => new Map(Object.entries(files));

/** `n` lines of code. */
const lines = (n: number): string => 'export const x = 1;\n'.repeat(n);

describe('importSpecifiers', () => {
  it('finds import, import type, export from, side-effect imports and import() but nothing in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "export type { E } from './e.js';",
      "import './f.js';",
      "type G = import('./g.js').G;",
      "const h = await import('./h.js');",
      "import { z } from 'zod';",
      "// import { no } from './comment.js';",
      'const s = "import { no } from \'./string.js\'";',
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js', 'zod']);
  });
});

describe('resolveSpecifier', () => {
  const files = new Set(['gaps/fill-gaps.ts', 'gaps/index.ts', 'internal/search.ts', 'index.ts']);

  it('maps a .js specifier to its .ts file, across folders', () => {
    expect(resolveSpecifier('gaps/fill-gaps.ts', '../internal/search.js', files)).toBe('internal/search.ts');
    expect(resolveSpecifier('gaps/index.ts', './fill-gaps.js', files)).toBe('gaps/fill-gaps.ts');
    expect(resolveSpecifier('index.ts', './gaps/index.js', files)).toBe('gaps/index.ts');
  });

  it('leaves packages and unknown files out', () => {
    expect(resolveSpecifier('gaps/fill-gaps.ts', 'zod', files)).toBeUndefined();
    expect(resolveSpecifier('gaps/fill-gaps.ts', './missing.js', files)).toBeUndefined();
  });
});

describe('moduleOf', () => {
  it('is the top-level folder, or (root) for files directly in src/', () => {
    expect([moduleOf('gaps/internal/scan.ts'), moduleOf('internal/search.ts'), moduleOf('index.ts')]).toEqual([
      'gaps',
      'internal',
      '(root)',
    ]);
  });
});

describe('findCycles', () => {
  it('prints a two-file cycle made of a type import', () => {
    const graph = buildImportGraph(
      tree({
        'gaps/fill-gaps.ts': "import { fill } from '../internal/gaps-fill.js';",
        'internal/gaps-fill.ts': "import type { FillOptions } from '../gaps/fill-gaps.js';",
        'gaps/index.ts': "export { fillGaps } from './fill-gaps.js';",
      }),
    );
    expect(findCycles(graph)).toEqual(['gaps/fill-gaps.ts → internal/gaps-fill.ts → gaps/fill-gaps.ts']);
  });

  it('prints a self-import and a longer cycle, with the size of a component larger than its shortest cycle', () => {
    const graph = buildImportGraph(
      tree({
        'a/a.ts': "import './b.js';",
        'a/b.ts': "import './c.js'; import './a.js';",
        'a/c.ts': "import './a.js';",
        'self/s.ts': "export * from './s.js';",
      }),
    );
    expect(findCycles(graph)).toEqual([
      'a/a.ts → a/b.ts → a/a.ts (3 files import each other: a/a.ts, a/b.ts, a/c.ts)',
      'self/s.ts → self/s.ts',
    ]);
  });

  it('finds none in a diamond', () => {
    const graph = buildImportGraph(
      tree({
        'x/top.ts': "import './l.js'; import './r.js';",
        'x/l.ts': "import './bottom.js';",
        'x/r.ts': "import './bottom.js';",
        'x/bottom.ts': '',
      }),
    );
    expect(findCycles(graph)).toEqual([]);
  });
});

describe('foreignInternalImports', () => {
  it("reports a module importing another module's internal/, and allows its own internal/ and src/internal/", () => {
    const graph = buildImportGraph(
      tree({
        'gaps/fill-gaps.ts': "import { scan } from './internal/scan.js'; import { lowerBound } from '../internal/search.js';",
        'gaps/internal/scan.ts': '',
        'quality/check.ts': "import { scan } from '../gaps/internal/scan.js';",
        'internal/search.ts': "import type { S } from '../gaps/internal/scan.js';",
        'internal/columns.ts': '',
      }),
    );
    expect(foreignInternalImports(graph)).toEqual([
      'internal/search.ts → gaps/internal/scan.ts',
      'quality/check.ts → gaps/internal/scan.ts',
    ]);
  });
});

describe('singleModuleInternals', () => {
  it('reports a src/internal/ file that one module imports, however many of its files do', () => {
    const graph = buildImportGraph(
      tree({
        'gaps/detect-gaps.ts': "import '../internal/gaps-scan.js'; import '../internal/search.js';",
        'gaps/fill-gaps.ts': "import '../internal/gaps-scan.js';",
        'quality/score.ts': "import '../internal/search.js';",
        'internal/gaps-scan.ts': '',
        'internal/search.ts': '',
      }),
    );
    expect(singleModuleInternals(graph)).toEqual(['internal/gaps-scan.ts: only gaps (gaps/detect-gaps.ts, gaps/fill-gaps.ts)']);
  });

  it('does not count other src/internal/ files as a module', () => {
    const graph = buildImportGraph(
      tree({
        'gaps/fill-gaps.ts': "import '../internal/columns.js';",
        'internal/kernel.ts': "import './columns.js';",
        'internal/columns.ts': '',
      }),
    );
    expect(singleModuleInternals(graph)).toEqual(['internal/columns.ts: only gaps (gaps/fill-gaps.ts)']);
  });
});

describe('lineCount', () => {
  it('counts lines, with or without a final line break', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount(lines(401))]).toEqual([0, 1, 1, 2, 401]);
  });
});

describe('statesOneFileReason', () => {
  it('accepts the phrase with a reason in a comment within the first 10 lines, in any case', () => {
    expect(statesOneFileReason('/**\n * One file because the kernel is hot: splitting it costs 8%.\n */\n')).toBe(true);
    expect(statesOneFileReason(`${'\n'.repeat(9)}// one file because: one loop`)).toBe(true);
  });

  it('refuses the phrase without a reason, after line 10, or outside a comment', () => {
    expect(statesOneFileReason('// one file because\nexport {};')).toBe(false);
    expect(statesOneFileReason(`${'\n'.repeat(10)}// one file because: one loop`)).toBe(false);
    expect(statesOneFileReason("export const s = 'one file because it is fast';")).toBe(false);
  });
});

describe('oversizedFiles', () => {
  it('reports files over 400 lines unless their top says why they are one file', () => {
    const sources = tree({
      'pipeline/pipeline.ts': lines(401),
      'aggregate/kernel.ts': `// One file because the inner loop must stay monomorphic.\n${lines(500)}`,
      'gaps/fill-gaps.ts': lines(400),
    });
    expect(oversizedFiles(sources)).toEqual(['pipeline/pipeline.ts: 401 lines']);
  });
});
