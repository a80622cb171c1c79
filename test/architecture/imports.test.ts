import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, findCycles, foreignInternalImports, oversizedFiles, singleModuleInternals } from './import-graph.js';

// The architecture guard (issue 14, STYLE.md habit 1 and Layout, DESIGN.md §3): how `src/`
// files may import each other and how long they may grow. Each rule is proved able to fail on
// a synthetic tree in `import-graph.test.ts`.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every `src/**\/*.ts` file, path relative to `src/` (POSIX) → text. */
function readSources(): Map<string, string> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  return new Map(files.map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));
}

describe('src/ architecture', () => {
  const sources = readSources();
  const graph = buildImportGraph(sources);

  it('reads the whole tree', () => {
    // A wrong path would make every rule below pass vacuously.
    expect(sources.size).toBeGreaterThan(50);
    expect([...graph.values()].flat().length).toBeGreaterThan(100);
  });

  it('has no import cycle', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it("has no module importing another module's internal/", () => {
    expect(foreignInternalImports(graph)).toEqual([]);
  });

  it('keeps in src/internal/ only files that two or more modules import', () => {
    expect(singleModuleInternals(graph)).toEqual([]);
  });

  it('has no file over 400 lines without a comment at its top saying why it is one file', () => {
    expect(oversizedFiles(sources)).toEqual([]);
  });
});
